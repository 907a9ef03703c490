package dev.switchboard.order.adapter.out.kafka;

import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.order.domain.Order;

/** Payment's commands, the same on its work queue and on its command stream. */
final class PaymentMessages {

	private PaymentMessages() {
	}

	static ChargePayment charge(Order order, String paymentToken) {
		return ChargePayment.newBuilder()
			.setOrderId(order.id())
			.setAmountCents(order.totalCents())
			.setPaymentToken(paymentToken)
			.build();
	}

	static RefundPayment refund(String orderId) {
		return RefundPayment.newBuilder().setOrderId(orderId).build();
	}

}
