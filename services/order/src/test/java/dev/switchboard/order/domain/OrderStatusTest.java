package dev.switchboard.order.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderStatusTest {

	@Test
	void onlyCompletedAndCancelledAreTerminal() {
		assertThat(OrderStatus.COMPLETED.isTerminal()).isTrue();
		assertThat(OrderStatus.CANCELLED.isTerminal()).isTrue();
		assertThat(OrderStatus.PENDING.isTerminal()).isFalse();
		assertThat(OrderStatus.PAID.isTerminal()).isFalse();
	}

}
