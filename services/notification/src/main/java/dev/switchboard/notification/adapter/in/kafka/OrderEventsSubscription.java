package dev.switchboard.notification.adapter.in.kafka;

import java.time.Duration;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.notification.v1.SendEmail;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.switchboard.notification.domain.Emails.money;
import static dev.switchboard.notification.domain.Emails.recipient;

/**
 * Decides which emails an order event calls for and puts them on the email queue (in the
 * transaction that records the event as handled): when an order is received, shipped or
 * cancelled (transactional), and recommendations after a completed order (marketing,
 * lower priority, worthless after a day).
 */
@Configuration(proxyBeanMethods = false)
class OrderEventsSubscription {

	static final Duration MARKETING_TIME_TO_LIVE = Duration.ofDays(1);

	@Bean
	EventSubscription orderEmails(Outbox outbox) {
		return EventSubscription.named("emails")
			.topics(Topics.ORDER_EVENTS)
			.on(OrderCreated.getDefaultInstance(),
					(e, o) -> transactional(outbox, o.getOrderId(), "ORDER_RECEIVED", o.getCustomerId(),
							"We received your order " + o.getOrderId(),
							"Thank you for your order of " + money(o.getTotalCents())
									+ ". We will tell you when it ships."))
			.on(OrderCompleted.getDefaultInstance(), (e, o) -> {
				transactional(outbox, o.getOrderId(), "ORDER_SHIPPED", o.getCustomerId(),
						"Your order " + o.getOrderId() + " has shipped",
						"Your order is on its way (shipment " + o.getShipmentId() + ").");
				outbox.enqueue(Queues.NOTIFICATION_EMAILS, o.getOrderId(),
						email(o.getOrderId(), "RECOMMENDATIONS", o.getCustomerId(), "Picked for you",
								"Customers who bought what you just ordered also liked SKU-0042."),
						Queues.MARKETING, MARKETING_TIME_TO_LIVE);
			})
			.on(OrderCancelled.getDefaultInstance(),
					(e, o) -> transactional(outbox, o.getOrderId(), "ORDER_CANCELLED", o.getCustomerId(),
							"Your order " + o.getOrderId() + " was cancelled",
							"We had to cancel your order: " + o.getReason() + ". Any payment taken has been refunded."))
			.build();
	}

	private static void transactional(Outbox outbox, String orderId, String kind, String customerId, String subject,
			String body) {
		outbox.enqueue(Queues.NOTIFICATION_EMAILS, orderId, email(orderId, kind, customerId, subject, body),
				Queues.TRANSACTIONAL, null);
	}

	private static SendEmail email(String orderId, String kind, String customerId, String subject, String body) {
		return SendEmail.newBuilder()
			.setOrderId(orderId)
			.setKind(kind)
			.setRecipient(recipient(customerId))
			.setSubject(subject)
			.setBody(body)
			.build();
	}

}
