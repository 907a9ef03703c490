package dev.switchboard.platform.internal.fault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FaultInjectorTest {

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	private final FaultInjector faults = new FaultInjector(Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void withoutAFaultAPollIsHandedOverInItsOwnOrder() {
		assertThat(this.faults.deliveryOrder("events:order.saga", 5)).containsExactly(0, 1, 2, 3, 4);
	}

	@Test
	void aDeliveryFaultHandsEveryRecordOverAtLeastOnceSomeTwiceSomeSwapped() {
		this.faults.set(new Fault(Duration.ZERO, 0, false, 1, 1, null, NOW.plusSeconds(60)));

		int[] order = this.faults.deliveryOrder("events:order.saga", 6);

		assertThat(order).hasSize(12);
		assertThat(IntStream.range(0, 6))
			.allSatisfy((record) -> assertThat(Arrays.stream(order).filter((at) -> at == record).count()).isEqualTo(2));
		assertThat(order).isNotEqualTo(new int[] { 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 });
		assertThat(this.faults.describe()).containsEntry("duplicatedDeliveries", 6L)
			.containsEntry("reorderedDeliveries", 3L);
	}

	@Test
	void aDeliveryFaultKeepsToItsRouteAndLeavesCallsAlone() {
		this.faults.set(new Fault(Duration.ZERO, 0, false, 1, 0, "events:inventory", NOW.plusSeconds(60)));

		assertThat(this.faults.deliveryOrder("events:order.saga", 3)).containsExactly(0, 1, 2);
		assertThat(this.faults.deliveryOrder("events:inventory.commands", 3)).hasSize(6);
		assertThat(this.faults.applyTo("/inventory.v1.Inventory/CheckAndReserve")).isFalse();
	}

}
