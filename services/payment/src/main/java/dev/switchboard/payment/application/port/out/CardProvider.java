package dev.switchboard.payment.application.port.out;

import java.util.List;

import dev.switchboard.payment.domain.CardDecision;
import dev.switchboard.payment.domain.LedgerEntry;

/**
 * The card provider, outside the payment service's transactions. Every request carries an
 * idempotency key: the same request sent again (a redelivered command, a retry after a
 * crash) gets the first answer and moves no money a second time.
 */
public interface CardProvider {

	/** Charges the card behind the token, once per key. */
	CardDecision charge(String idempotencyKey, String orderId, String paymentToken, long amountCents);

	/** Refunds what the charge with this key took, once per key. */
	void refund(String idempotencyKey, String orderId, long amountCents);

	/** Whether the provider's answers for this token never arrive (a test token). */
	boolean answersLost(String paymentToken);

	/**
	 * The provider's books, oldest first, from entry {@code afterId} on (for the
	 * invariant checker).
	 */
	List<LedgerEntry> ledger(long afterId, int limit);

}
