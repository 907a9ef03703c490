package dev.switchboard.payment.domain;

/**
 * One entry of the card provider's books: money that really moved (or a refused charge).
 *
 * @param kind {@code CHARGE} or {@code REFUND}
 */
public record LedgerEntry(long id, String idempotencyKey, String kind, String orderId, long amountCents,
		boolean approved) {

}
