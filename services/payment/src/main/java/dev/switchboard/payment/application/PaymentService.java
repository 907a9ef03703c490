package dev.switchboard.payment.application;

import java.util.UUID;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.PaymentApproved;
import dev.switchboard.contracts.events.v1.PaymentDeclined;
import dev.switchboard.contracts.events.v1.PaymentRefunded;
import dev.switchboard.payment.application.port.out.PaymentRepository;
import dev.switchboard.payment.domain.CardDecision;
import dev.switchboard.payment.domain.Payment;
import dev.switchboard.payment.domain.PaymentStatus;
import dev.switchboard.payment.domain.TestModeCardProvider;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Charges an order once and refunds it at most once. The order id is the charge's natural
 * key: a redelivered OrderCreated finds the payment already there and does nothing.
 */
@Service
@Transactional
public class PaymentService {

	private final PaymentRepository payments;

	private final TestModeCardProvider provider = new TestModeCardProvider();

	private final Outbox outbox;

	PaymentService(PaymentRepository payments, Outbox outbox) {
		this.payments = payments;
		this.outbox = outbox;
	}

	public void charge(String orderId, String paymentToken, long amountCents) {
		CardDecision decision = this.provider.charge(paymentToken, amountCents);
		Payment payment = new Payment(orderId, UUID.randomUUID().toString(), amountCents,
				decision.approved() ? PaymentStatus.APPROVED : PaymentStatus.DECLINED, decision.declineReason());
		if (!this.payments.insertIfAbsent(payment)) {
			return;
		}
		if (decision.approved()) {
			this.outbox.add(Topics.PAYMENT_EVENTS, orderId, PaymentApproved.newBuilder()
				.setOrderId(orderId)
				.setPaymentId(payment.paymentId())
				.setAmountCents(amountCents)
				.build());
		}
		else {
			this.outbox.add(Topics.PAYMENT_EVENTS, orderId, PaymentDeclined.newBuilder()
				.setOrderId(orderId)
				.setPaymentId(payment.paymentId())
				.setReason(decision.declineReason())
				.build());
		}
	}

	public void refund(String orderId) {
		if (this.payments.markRefunded(orderId)) {
			Payment payment = this.payments.find(orderId).orElseThrow();
			this.outbox.add(Topics.PAYMENT_EVENTS, orderId, PaymentRefunded.newBuilder()
				.setOrderId(orderId)
				.setPaymentId(payment.paymentId())
				.setAmountCents(payment.amountCents())
				.build());
		}
	}

}
