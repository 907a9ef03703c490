package dev.switchboard.order.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderStatusTest {

	@Test
	void aPendingOrderIsPaidOrCancelled() {
		assertThat(OrderStatus.PENDING.canMoveTo(OrderStatus.PAID)).isTrue();
		assertThat(OrderStatus.PENDING.canMoveTo(OrderStatus.CANCELLED)).isTrue();
		assertThat(OrderStatus.PENDING.canMoveTo(OrderStatus.COMPLETED)).isFalse();
	}

	@Test
	void aPaidOrderCompletesOrIsCancelled() {
		assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.COMPLETED)).isTrue();
		assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.CANCELLED)).isTrue();
		assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.PENDING)).isFalse();
	}

	@Test
	void terminalStatusesAreFinal() {
		for (OrderStatus next : OrderStatus.values()) {
			assertThat(OrderStatus.COMPLETED.canMoveTo(next)).isFalse();
			assertThat(OrderStatus.CANCELLED.canMoveTo(next)).isFalse();
		}
		assertThat(OrderStatus.COMPLETED.isTerminal()).isTrue();
		assertThat(OrderStatus.PAID.isTerminal()).isFalse();
	}

}
