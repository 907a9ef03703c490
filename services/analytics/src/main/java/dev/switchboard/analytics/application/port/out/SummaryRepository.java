package dev.switchboard.analytics.application.port.out;

import dev.switchboard.analytics.domain.OrderSummary;

/** The one row of totals. */
public interface SummaryRepository {

	/** Adds to the totals (each argument may be 0). */
	void add(long created, long completed, long cancelled, long revenueCents);

	void reset();

	OrderSummary get();

}
