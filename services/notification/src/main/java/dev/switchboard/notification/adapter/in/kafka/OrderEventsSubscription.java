package dev.switchboard.notification.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.notification.application.NotificationService;
import dev.switchboard.platform.messaging.EventSubscription;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.switchboard.notification.domain.Emails.money;
import static dev.switchboard.notification.domain.Emails.recipient;

/**
 * Tells the customer when an order is received, shipped or cancelled.
 */
@Configuration(proxyBeanMethods = false)
class OrderEventsSubscription {

	@Bean
	EventSubscription orderEmails(NotificationService notifications) {
		return EventSubscription.named("emails")
			.topics(Topics.ORDER_EVENTS)
			.on(OrderCreated.getDefaultInstance(),
					(e, o) -> notifications.send(e.id(), o.getOrderId(), "ORDER_RECEIVED", recipient(o.getCustomerId()),
							"We received your order " + o.getOrderId(),
							"Thank you for your order of " + money(o.getTotalCents())
									+ ". We will tell you when it ships."))
			.on(OrderCompleted.getDefaultInstance(),
					(e, o) -> notifications.send(e.id(), o.getOrderId(), "ORDER_SHIPPED", recipient(o.getCustomerId()),
							"Your order " + o.getOrderId() + " has shipped",
							"Your order is on its way (shipment " + o.getShipmentId() + ")."))
			.on(OrderCancelled.getDefaultInstance(),
					(e, o) -> notifications.send(e.id(), o.getOrderId(), "ORDER_CANCELLED",
							recipient(o.getCustomerId()), "Your order " + o.getOrderId() + " was cancelled",
							"We had to cancel your order: " + o.getReason()
									+ ". Any payment taken has been refunded."))
			.build();
	}

}
