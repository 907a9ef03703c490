package dev.switchboard.order.adapter.out.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.order.application.port.out.PaymentCommands;
import dev.switchboard.order.domain.Order;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Payment's commands through the outbox onto its command stream
 * ({@code switchboard.transports.payment=stream}): a topic keyed by order id, read by one
 * consumer group, so one order's charge and refund are taken in the order decided, as
 * inventory's and shipping's commands are. Payment answers on the saga reply topic.
 */
@Component
@ConditionalOnProperty(name = "switchboard.transports.payment", havingValue = "stream")
class StreamPaymentCommands implements PaymentCommands {

	private final Outbox outbox;

	StreamPaymentCommands(Outbox outbox) {
		this.outbox = outbox;
	}

	@Override
	public String charge(Order order, String paymentToken) {
		return this.outbox.add(Topics.PAYMENT_COMMAND_STREAM, order.id(), PaymentMessages.charge(order, paymentToken));
	}

	@Override
	public String refund(String orderId) {
		return this.outbox.add(Topics.PAYMENT_COMMAND_STREAM, orderId, PaymentMessages.refund(orderId));
	}

}
