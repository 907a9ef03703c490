package dev.switchboard.payment.application;

import java.util.UUID;

import dev.switchboard.payment.application.port.out.PaymentRepository;
import dev.switchboard.payment.domain.CardDecision;
import dev.switchboard.payment.domain.Payment;
import dev.switchboard.payment.domain.PaymentStatus;
import dev.switchboard.payment.domain.TestModeCardProvider;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Charges an order at most once and refunds it at most once. The order id is the charge's
 * natural key: a repeated charge finds the payment already there and answers with it. A
 * refund before any charge voids the order, so a charge that arrives late is refused.
 */
@Service
@Transactional
public class PaymentService {

	private final PaymentRepository payments;

	private final TestModeCardProvider provider = new TestModeCardProvider();

	PaymentService(PaymentRepository payments) {
		this.payments = payments;
	}

	/**
	 * Charges the order unless it has a payment already.
	 * @return the order's payment, whether this call made it, and whether to answer
	 */
	public Charge charge(String orderId, String paymentToken, long amountCents) {
		CardDecision decision = this.provider.charge(paymentToken, amountCents);
		Payment payment = new Payment(orderId, UUID.randomUUID().toString(), amountCents,
				decision.approved() ? PaymentStatus.APPROVED : PaymentStatus.DECLINED, decision.declineReason());
		if (this.payments.insertIfAbsent(payment)) {
			return new Charge(payment, true, !decision.answerLost());
		}
		return new Charge(this.payments.find(orderId).orElseThrow(), false, !decision.answerLost());
	}

	/**
	 * Refunds the order's charge, or voids the order when it has no payment yet.
	 * @return the amount refunded by this call, 0 when there was nothing (left) to refund
	 */
	public long refund(String orderId) {
		if (this.payments.markRefunded(orderId)) {
			return this.payments.find(orderId).orElseThrow().amountCents();
		}
		if (this.payments.insertIfAbsent(new Payment(orderId, UUID.randomUUID().toString(), 0, PaymentStatus.VOIDED,
				"order cancelled before it was charged"))) {
			return 0;
		}
		// A payment exists after all: a charge of this order committed while this refund
		// ran (competing consumers take one order's commands in parallel). The insert
		// waited for it, so this statement sees it.
		if (this.payments.markRefunded(orderId)) {
			return this.payments.find(orderId).orElseThrow().amountCents();
		}
		return 0;
	}

	/** The id of the order's payment (or void marker); empty when it has neither. */
	@Transactional(readOnly = true)
	public String paymentId(String orderId) {
		return this.payments.find(orderId).map(Payment::paymentId).orElse("");
	}

	/**
	 * @param made whether this call made the payment (rather than finding it)
	 * @param answer whether the caller is to be answered (false only for test tokens)
	 */
	public record Charge(Payment payment, boolean made, boolean answer) {

		public boolean approved() {
			return this.payment.status() == PaymentStatus.APPROVED || this.payment.status() == PaymentStatus.REFUNDED;
		}

		public String failureReason() {
			return this.payment.status() == PaymentStatus.VOIDED ? "order cancelled before it was charged"
					: this.payment.declineReason();
		}

	}

}
