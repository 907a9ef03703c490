package dev.switchboard.analytics.application;

import dev.switchboard.analytics.application.port.in.SummarizeOrdersUseCase;
import dev.switchboard.analytics.application.port.out.SummaryRepository;
import dev.switchboard.analytics.domain.OrderSummary;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the order summary. Each update runs in the consumer's transaction with its inbox
 * entry, so a redelivered event is not counted twice.
 */
@Service
@Transactional
class SummaryService implements SummarizeOrdersUseCase {

	private final SummaryRepository totals;

	SummaryService(SummaryRepository totals) {
		this.totals = totals;
	}

	@Override
	public void orderCreated() {
		this.totals.add(1, 0, 0, 0);
	}

	@Override
	public void orderCompleted(long totalCents) {
		this.totals.add(0, 1, 0, totalCents);
	}

	@Override
	public void orderCancelled() {
		this.totals.add(0, 0, 1, 0);
	}

	@Override
	public void reset() {
		this.totals.reset();
	}

	@Override
	@Transactional(readOnly = true)
	public OrderSummary summary() {
		return this.totals.get();
	}

}
