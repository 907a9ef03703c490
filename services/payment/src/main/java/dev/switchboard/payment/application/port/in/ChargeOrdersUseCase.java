package dev.switchboard.payment.application.port.in;

import dev.switchboard.payment.domain.Payment;
import dev.switchboard.payment.domain.PaymentStatus;

/**
 * Payment's part in a saga, commanded or choreographed: charge an order at most once,
 * refund it at most once. Every call may be repeated; the order's one payment answers.
 */
public interface ChargeOrdersUseCase {

	/** Charges the order unless it has a payment already. */
	Charge charge(String orderId, String paymentToken, long amountCents);

	/**
	 * Refunds the order's charge, or voids the order when it has no payment yet.
	 * @return the amount refunded by this call, 0 when there was nothing (left) to refund
	 */
	long refund(String orderId);

	/** The id of the order's payment (or void marker); empty when it has neither. */
	String paymentId(String orderId);

	/**
	 * @param made whether this call made the payment (rather than finding it)
	 * @param answer whether the caller is to be answered (false only for test tokens)
	 */
	record Charge(Payment payment, boolean made, boolean answer) {

		public boolean approved() {
			return this.payment.status() == PaymentStatus.APPROVED || this.payment.status() == PaymentStatus.REFUNDED;
		}

		public String failureReason() {
			return this.payment.status() == PaymentStatus.VOIDED ? "order cancelled before it was charged"
					: this.payment.declineReason();
		}

	}

}
