package dev.switchboard.payment.domain;

/**
 * {@link #APPROVED} charges can later be {@link #REFUNDED}; {@link #DECLINED} ones never
 * took money. {@link #VOIDED} marks an order cancelled before it was charged: it never
 * will be.
 */
public enum PaymentStatus {

	APPROVED, DECLINED, REFUNDED, VOIDED

}
