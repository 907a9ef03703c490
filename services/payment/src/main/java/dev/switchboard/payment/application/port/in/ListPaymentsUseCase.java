package dev.switchboard.payment.application.port.in;

import java.util.List;

import dev.switchboard.payment.domain.LedgerEntry;
import dev.switchboard.payment.domain.Payment;

/** Read-only views for operators and the invariant checker, page by page. */
public interface ListPaymentsUseCase {

	/**
	 * Up to {@code limit} (clamped to 1..10,000) payments whose order id sorts after
	 * {@code after}.
	 */
	List<Payment> payments(String after, int limit);

	/** The payments of those of these orders that have one, in one read. */
	List<Payment> payments(List<String> orderIds);

	/** The card provider's books, oldest first, from entry {@code after} on. */
	List<LedgerEntry> providerLedger(long after, int limit);

}
