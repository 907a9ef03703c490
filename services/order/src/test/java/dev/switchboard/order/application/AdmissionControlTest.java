package dev.switchboard.order.application;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.switchboard.order.application.port.in.OverloadedException;
import dev.switchboard.order.application.port.out.SagaRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AdmissionControlTest {

	private static final long SECOND = 1_000_000_000L;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicInteger counts = new AtomicInteger();

	private final SagaRepository sagas = (SagaRepository) java.lang.reflect.Proxy.newProxyInstance(
			getClass().getClassLoader(), new Class<?>[] { SagaRepository.class }, (proxy, method, args) -> {
				if (method.getName().equals("countActive")) {
					this.counts.incrementAndGet();
					return this.active.get();
				}
				throw new UnsupportedOperationException(method.getName());
			});

	@Test
	void theLimitFollowsLittlesLawFromTheAdmittedRateAndTheCompletionTarget() {
		AdmissionControl admission = AdmissionControl.littlesLaw(this.sagas, Duration.ofSeconds(2), 100,
				Duration.ofSeconds(1));
		assertThat(admission.limit()).isEqualTo(100);
		long now = 0;
		admission.refresh(now);
		// 200 orders/s, counted every 250 ms, each order done before the next count.
		for (int count = 1; count <= 60; count++) {
			for (int i = 0; i < 50; i++) {
				admission.admit(now);
			}
			now += SECOND / 4;
			admission.refresh(now);
		}
		assertThat(admission.limit()).isEqualTo(400);

		// Load falls to 10/s: the limit falls back to its floor.
		for (int second = 1; second <= 45; second++) {
			for (int i = 0; i < 10; i++) {
				admission.admit(now);
			}
			now += SECOND;
			admission.refresh(now);
		}
		assertThat(admission.limit()).isEqualTo(100);
	}

	@Test
	void ordersBeyondTheLimitAreRefusedWithRetryAfter() {
		AdmissionControl admission = AdmissionControl.littlesLaw(this.sagas, Duration.ofSeconds(2), 100,
				Duration.ofSeconds(1));
		this.active.set(99);
		admission.refresh(0);
		admission.admit(0);
		assertThatExceptionOfType(OverloadedException.class).isThrownBy(() -> admission.admit(0))
			.withMessageContaining("limit 100");
	}

	@Test
	void anArrivingOrderCountsAgainOnlyWhenTheLastCountIsOlderThanTheInterval() {
		AdmissionControl admission = new AdmissionControl(this.sagas, 3, Duration.ofSeconds(1));
		long interval = AdmissionControl.COUNT_INTERVAL.toNanos();

		admission.admit(0);
		admission.admit(interval / 2);
		assertThat(this.counts).hasValue(1);

		// Another instance admitted orders meanwhile: seen at the next count, not before.
		this.active.set(3);
		admission.admit(interval - 1);
		assertThatExceptionOfType(OverloadedException.class).isThrownBy(() -> admission.admit(interval));
		assertThat(this.counts).hasValue(2);
	}

	@Test
	void aFixedLimitStaysAndZeroMeansNone() {
		AdmissionControl fixed = new AdmissionControl(this.sagas, 3, Duration.ofSeconds(1));
		this.active.set(3);
		fixed.refresh(0);
		assertThat(fixed.limit()).isEqualTo(3);
		assertThatExceptionOfType(OverloadedException.class).isThrownBy(() -> fixed.admit(0));

		AdmissionControl none = new AdmissionControl(this.sagas, 0, Duration.ofSeconds(1));
		this.active.set(1_000_000);
		none.refresh(0);
		none.admit(0);
		assertThat(Optional.of(none.limit())).contains(0);
	}

}
