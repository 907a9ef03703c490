package dev.switchboard.payment.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.events.v1.PaymentApproved;
import dev.switchboard.contracts.events.v1.PaymentDeclined;
import dev.switchboard.contracts.events.v1.PaymentRefunded;
import dev.switchboard.payment.application.port.in.ChargeOrdersUseCase;
import dev.switchboard.payment.application.port.in.ChargeOrdersUseCase.Charge;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Payment's part in a choreographed saga: charge a created order, refund a cancelled one
 * (both from {@link Topics#ORDER_CHOREOGRAPHY}, which holds only choreographed orders),
 * and tell everyone on {@link Topics#PAYMENT_EVENTS}. Orders run by orchestration come as
 * commands.
 */
@Configuration(proxyBeanMethods = false)
class ChoreographySubscription {

	@Bean
	EventSubscription choreographedPayments(ChargeOrdersUseCase payments, Outbox outbox) {
		return EventSubscription.named("charges")
			.topics(Topics.ORDER_CHOREOGRAPHY)
			.on(OrderCreated.getDefaultInstance(), (e, event) -> charge(payments, outbox, event))
			.on(OrderCancelled.getDefaultInstance(), (e, event) -> {
				long refunded = payments.refund(event.getOrderId());
				String paymentId = payments.paymentId(event.getOrderId());
				outbox.add(Topics.PAYMENT_EVENTS, event.getOrderId(),
						PaymentRefunded.newBuilder()
							.setOrderId(event.getOrderId())
							.setPaymentId(paymentId)
							.setAmountCents(refunded)
							.build());
			})
			.build();
	}

	private static void charge(ChargeOrdersUseCase payments, Outbox outbox, OrderCreated event) {
		Charge charge = payments.charge(event.getOrderId(), event.getPaymentToken(), event.getTotalCents());
		if (!charge.made() || !charge.answer()) {
			return;
		}
		if (charge.approved()) {
			outbox.add(Topics.PAYMENT_EVENTS, event.getOrderId(),
					PaymentApproved.newBuilder()
						.setOrderId(event.getOrderId())
						.setPaymentId(charge.payment().paymentId())
						.setAmountCents(charge.payment().amountCents())
						.build());
		}
		else {
			outbox.add(Topics.PAYMENT_EVENTS, event.getOrderId(),
					PaymentDeclined.newBuilder()
						.setOrderId(event.getOrderId())
						.setPaymentId(charge.payment().paymentId())
						.setReason(charge.failureReason())
						.build());
		}
	}

}
