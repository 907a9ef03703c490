package dev.switchboard.payment.domain;

/**
 * {@link #APPROVED} charges can later be {@link #REFUNDED}; {@link #DECLINED} ones never
 * took money.
 */
public enum PaymentStatus {

	APPROVED, DECLINED, REFUNDED

}
