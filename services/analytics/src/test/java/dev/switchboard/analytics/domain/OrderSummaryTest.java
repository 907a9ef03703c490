package dev.switchboard.analytics.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderSummaryTest {

	@Test
	void revenueCountsCompletedOrdersOnly() {
		OrderSummary summary = OrderSummary.EMPTY.created().created().completed(1999).cancelled();

		assertThat(summary).isEqualTo(new OrderSummary(2, 1, 1, 1999));
	}

}
