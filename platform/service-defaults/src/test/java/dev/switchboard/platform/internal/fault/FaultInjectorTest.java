package dev.switchboard.platform.internal.fault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FaultInjectorTest {

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	private final FaultInjector faults = new FaultInjector(Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void withoutAFaultAPollIsHandedOverInItsOwnOrder() {
		assertThat(this.faults.deliveryOrder("events:order.saga", 5)).containsExactly(0, 1, 2, 3, 4);
	}

	@Test
	void aDeliveryFaultHandsEveryRecordOverAtLeastOnceSomeTwiceSomeSwapped() {
		this.faults.set(new Fault(Duration.ZERO, 1, 0, false, 1, 1, null, NOW.plusSeconds(60)));

		int[] order = this.faults.deliveryOrder("events:order.saga", 6);

		assertThat(order).hasSize(12);
		assertThat(IntStream.range(0, 6))
			.allSatisfy((record) -> assertThat(Arrays.stream(order).filter((at) -> at == record).count()).isEqualTo(2));
		assertThat(order).isNotEqualTo(new int[] { 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 });
		assertThat(this.faults.describe()).containsEntry("duplicatedDeliveries", 6L)
			.containsEntry("reorderedDeliveries", 3L);
	}

	@Test
	void eventsAreDelayedOnlyByAFaultWhoseRouteNamesThem() {
		this.faults.set(new Fault(Duration.ofMillis(50), 1, 0, false, 0, 0, null, NOW.plusSeconds(60)));
		this.faults.beforeEvent("events:payment.command-stream");
		assertThat(this.faults.describe()).as("a fault on every call").containsEntry("delayedDeliveries", 0L);

		this.faults.set(new Fault(Duration.ofMillis(50), 1, 0, false, 0, 0, "events:payment", NOW.plusSeconds(60)));
		long started = System.nanoTime();
		this.faults.beforeEvent("events:payment.command-stream");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
		this.faults.beforeEvent("events:order.saga");
		assertThat(this.faults.describe()).containsEntry("delayedDeliveries", 1L).containsEntry("delayedCalls", 0L);
		assertThat(this.faults.applyTo("/payment.v1.PaymentService/Charge")).isFalse();
	}

	@Test
	void aLatencyRateDelaysOnlyThatShareOfTheMatchingCalls() {
		this.faults.set(new Fault(Duration.ofMillis(1), 0.5, 0, false, 0, 0, "Relay", NOW.plusSeconds(60)));

		for (int call = 0; call < 400; call++) {
			assertThat(this.faults.applyTo("switchboard.lab.v1.Relay/Forward")).isFalse();
		}
		this.faults.applyTo("switchboard.order.v1.OrderService/GetOrder");

		// 200 expected, 10 their standard deviation: far outside 100-300 is never chance.
		assertThat((long) this.faults.describe().get("delayedCalls")).isBetween(100L, 300L);
		assertThat(this.faults.describe()).containsEntry("latencyRate", 0.5);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Fault(Duration.ofMillis(1), 0, 0, false, 0, 0, null, NOW.plusSeconds(60)))
			.withMessageContaining("a fault needs");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Fault(Duration.ofMillis(1), 1.5, 0, false, 0, 0, null, NOW.plusSeconds(60)))
			.withMessageContaining("latencyRate must be between 0 and 1");
	}

	@Test
	void aDeliveryFaultKeepsToItsRouteAndLeavesCallsAlone() {
		this.faults.set(new Fault(Duration.ZERO, 1, 0, false, 1, 0, "events:inventory", NOW.plusSeconds(60)));

		assertThat(this.faults.deliveryOrder("events:order.saga", 3)).containsExactly(0, 1, 2);
		assertThat(this.faults.deliveryOrder("events:inventory.commands", 3)).hasSize(6);
		assertThat(this.faults.applyTo("/inventory.v1.Inventory/CheckAndReserve")).isFalse();
	}

}
