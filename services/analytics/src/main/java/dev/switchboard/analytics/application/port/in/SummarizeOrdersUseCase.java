package dev.switchboard.analytics.application.port.in;

import dev.switchboard.analytics.domain.OrderSummary;

/**
 * The order summary, counted from the order events. Each update is made once per event by
 * the caller's idempotent consumer, in its transaction.
 */
public interface SummarizeOrdersUseCase {

	void orderCreated();

	void orderCompleted(long totalCents);

	void orderCancelled();

	/** Empties the summary before a replay of the events rebuilds it. */
	void reset();

	OrderSummary summary();

}
