package dev.switchboard.order.adapter.out.kafka;

import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.order.application.port.out.PaymentCommands;
import dev.switchboard.order.domain.Order;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Payment's commands through the outbox onto its work queue (the default of
 * {@code switchboard.transports.payment}): competing consumers, no order among one
 * order's commands, which payment does not need (a refund that overtakes its charge voids
 * the order). Payment answers on the saga reply topic.
 */
@Component
@ConditionalOnProperty(name = "switchboard.transports.payment", havingValue = "queue", matchIfMissing = true)
class QueuePaymentCommands implements PaymentCommands {

	private final Outbox outbox;

	QueuePaymentCommands(Outbox outbox) {
		this.outbox = outbox;
	}

	@Override
	public String charge(Order order, String paymentToken) {
		return this.outbox.enqueue(Queues.PAYMENT_COMMANDS, order.id(), PaymentMessages.charge(order, paymentToken));
	}

	@Override
	public String refund(String orderId) {
		return this.outbox.enqueue(Queues.PAYMENT_COMMANDS, orderId, PaymentMessages.refund(orderId));
	}

}
