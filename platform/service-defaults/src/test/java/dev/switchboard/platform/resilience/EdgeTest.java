package dev.switchboard.platform.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import dev.switchboard.platform.internal.resilience.EdgeSettings;
import dev.switchboard.platform.internal.resilience.ResilienceProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EdgeTest {

	static final EdgeSettings.Retry RETRY = new EdgeSettings.Retry(3, Duration.ofMillis(1), Duration.ofMillis(5), 0.1,
			10);

	static final EdgeSettings.Breaker LENIENT = new EdgeSettings.Breaker(50, 50, Duration.ofSeconds(5), 1000, 1000,
			Duration.ofSeconds(5), 3);

	static Edge edge(EdgeSettings settings) {
		return new Edges(new ResilienceProperties(Map.of("inventory", settings), null),
				CircuitBreakerRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(), new SimpleMeterRegistry())
			.edge("inventory");
	}

	static EdgeSettings settings(EdgeSettings.Retry retry, EdgeSettings.Breaker breaker) {
		return new EdgeSettings(Duration.ofSeconds(2), retry, breaker, new EdgeSettings.Bulkhead(8));
	}

	static StatusRuntimeException unavailable() {
		return Status.UNAVAILABLE.withDescription("down").asRuntimeException();
	}

	@Test
	void retriesAnIdempotentCallAfterUnavailable() {
		Edge edge = edge(settings(RETRY, LENIENT));
		AtomicInteger attempts = new AtomicInteger();

		String result = edge.call(true, (deadline) -> {
			if (attempts.incrementAndGet() < 3) {
				throw unavailable();
			}
			return "reserved";
		});

		assertThat(result).isEqualTo("reserved");
		assertThat(attempts).hasValue(3);
		assertThat(edge.snapshot().retries()).isEqualTo(2);
	}

	@Test
	void measuresEachEdgesCallsByOutcomeItsRetriesAndItsRetryBudget() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		EdgeSettings.Breaker breaker = new EdgeSettings.Breaker(50, 100, Duration.ofSeconds(5), 4, 4,
				Duration.ofSeconds(30), 1);
		Edge edge = new Edges(new ResilienceProperties(Map.of("inventory", settings(RETRY, breaker)), null),
				CircuitBreakerRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(), meters)
			.edge("inventory");
		AtomicInteger attempts = new AtomicInteger();

		edge.call(true, (deadline) -> (attempts.incrementAndGet() < 2) ? fail() : "ok");
		assertThatThrownBy(() -> edge.call(false, (deadline) -> fail())).isInstanceOf(StatusRuntimeException.class);
		assertThatThrownBy(() -> edge.call(false, (deadline) -> fail())).isInstanceOf(StatusRuntimeException.class);
		// Three failed attempts in a window of four: the breaker is open.
		assertThatThrownBy(() -> edge.call(false, (deadline) -> "not sent"))
			.isInstanceOf(EdgeUnavailableException.class);

		assertThat(meters.get(Edge.CALLS_METER).tags("edge", "inventory", "outcome", "success").timer().count())
			.isEqualTo(1);
		assertThat(meters.get(Edge.CALLS_METER).tags("edge", "inventory", "outcome", "error").timer().count())
			.isEqualTo(2);
		assertThat(meters.get(Edge.CALLS_METER).tags("edge", "inventory", "outcome", "refused").timer().count())
			.isEqualTo(1);
		assertThat(meters.get(Edge.RETRIES_METER).tags("edge", "inventory", "result", "made").functionCounter().count())
			.isEqualTo(1);
		assertThat(meters.get(Edge.BUDGET_METER).tag("edge", "inventory").gauge().value())
			.isEqualTo(edge.snapshot().retryBudgetTokens())
			.isLessThan(RETRY.budgetTokens());
	}

	private static String fail() {
		throw unavailable();
	}

	@Test
	void anUnreachableDownstreamTriggersAReconnectAtMostOnceASecond() {
		Edge edge = edge(settings(RETRY, LENIENT));
		AtomicInteger reconnects = new AtomicInteger();
		edge.reconnectWith(reconnects::incrementAndGet);

		assertThatThrownBy(() -> edge.call(true, (deadline) -> {
			throw unavailable();
		})).isInstanceOf(StatusRuntimeException.class);
		assertThatThrownBy(() -> edge.call(true, (deadline) -> {
			throw Status.DEADLINE_EXCEEDED.asRuntimeException();
		})).isInstanceOf(StatusRuntimeException.class);

		assertThat(reconnects).as("three UNAVAILABLE attempts within a second, one reconnect").hasValue(1);
	}

	@Test
	void neverRetriesACallThatIsNotIdempotent() {
		Edge edge = edge(settings(RETRY, LENIENT));
		AtomicInteger attempts = new AtomicInteger();

		assertThatThrownBy(() -> edge.call(false, (deadline) -> {
			attempts.incrementAndGet();
			throw unavailable();
		})).isInstanceOf(StatusRuntimeException.class);
		assertThat(attempts).hasValue(1);
	}

	@Test
	void aBusinessAnswerIsNeitherRetriedNorCountedAgainstTheDownstream() {
		EdgeSettings.Breaker strict = new EdgeSettings.Breaker(50, 50, Duration.ofSeconds(5), 4, 4,
				Duration.ofSeconds(5), 1);
		Edge edge = edge(settings(RETRY, strict));
		AtomicInteger attempts = new AtomicInteger();

		for (int i = 0; i < 10; i++) {
			assertThatThrownBy(() -> edge.call(true, (deadline) -> {
				attempts.incrementAndGet();
				throw Status.NOT_FOUND.withDescription("no such SKU").asRuntimeException();
			})).isInstanceOf(StatusRuntimeException.class);
		}

		assertThat(attempts).hasValue(10);
		assertThat(edge.snapshot().breakerState()).isEqualTo("CLOSED");
	}

	@Test
	void theBreakerOpensOnFailuresRefusesCallsAndClosesAfterSuccessfulTrials() {
		EdgeSettings.Breaker breaker = new EdgeSettings.Breaker(50, 100, Duration.ofSeconds(5), 4, 4,
				Duration.ofMillis(200), 2);
		Edge edge = edge(
				settings(new EdgeSettings.Retry(1, Duration.ofMillis(1), Duration.ofMillis(1), 0.1, 10), breaker));
		for (int i = 0; i < 4; i++) {
			assertThatThrownBy(() -> edge.call(true, (deadline) -> {
				throw unavailable();
			})).isInstanceOf(StatusRuntimeException.class);
		}
		assertThat(edge.snapshot().breakerState()).isEqualTo("OPEN");

		AtomicInteger attempts = new AtomicInteger();
		assertThatThrownBy(() -> edge.call(true, (deadline) -> attempts.incrementAndGet())).isInstanceOfSatisfying(
				EdgeUnavailableException.class, (ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofMillis(200)));
		assertThat(attempts).hasValue(0);

		await().atMost(Duration.ofSeconds(5)).until(() -> edge.snapshot().breakerState().equals("HALF_OPEN"));
		edge.call(true, (deadline) -> "ok");
		edge.call(true, (deadline) -> "ok");

		assertThat(edge.snapshot().breakerState()).isEqualTo("CLOSED");
		assertThat(edge.snapshot().transitions()).hasSize(3)
			.satisfiesExactly((t) -> assertThat(t).endsWith("CLOSED -> OPEN"),
					(t) -> assertThat(t).endsWith("OPEN -> HALF_OPEN"),
					(t) -> assertThat(t).endsWith("HALF_OPEN -> CLOSED"));
	}

	@Test
	void slowCallsOpenTheBreakerToo() {
		EdgeSettings.Breaker breaker = new EdgeSettings.Breaker(50, 50, Duration.ofMillis(5), 4, 4,
				Duration.ofSeconds(5), 1);
		Edge edge = edge(settings(RETRY, breaker));

		for (int i = 0; i < 4; i++) {
			edge.call(true, (deadline) -> {
				busy(Duration.ofMillis(20));
				return "slow but fine";
			});
		}

		assertThat(edge.snapshot().breakerState()).isEqualTo("OPEN");
		assertThat(edge.snapshot().slowCallRate()).isEqualTo(100f);
	}

	@Test
	void theBulkheadRefusesACallBeyondItsLimitAtOnce() throws Exception {
		Edge edge = edge(new EdgeSettings(Duration.ofSeconds(2), RETRY, LENIENT, new EdgeSettings.Bulkhead(1)));
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread holder = Thread.ofVirtual().start(() -> edge.call(true, (deadline) -> {
			inside.countDown();
			try {
				return release.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		}));
		assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

		assertThatThrownBy(() -> edge.call(true, (deadline) -> "second")).isInstanceOf(EdgeUnavailableException.class)
			.hasMessageContaining("too many calls in flight (1)");

		release.countDown();
		holder.join();
		String third = edge.call(true, (deadline) -> "third");
		assertThat(third).isEqualTo("third");
	}

	@Test
	void theRetryBudgetBoundsRetriesInAnOutage() {
		Edge edge = edge(settings(RETRY, LENIENT));
		AtomicInteger attempts = new AtomicInteger();

		for (int i = 0; i < 100; i++) {
			assertThatThrownBy(() -> edge.call(true, (deadline) -> {
				attempts.incrementAndGet();
				throw unavailable();
			})).isInstanceOf(StatusRuntimeException.class);
		}

		// Without the budget: 300 attempts (3 per call). With it: the first calls spend
		// the budget's upper half, then every call is tried once.
		assertThat(attempts.get()).isLessThanOrEqualTo(100 + 5);
		assertThat(edge.snapshot().retriesRefused()).isGreaterThan(90);
	}

	@Test
	void everyAttemptGetsWhatIsLeftOfTheInboundCallsDeadline() {
		Edge edge = edge(settings(RETRY, LENIENT));
		List<Duration> given = new ArrayList<>();
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		try {
			Context.current()
				.withDeadline(Deadline.after(300, TimeUnit.MILLISECONDS), scheduler)
				.run(() -> edge.call(true, given::add));
		}
		finally {
			scheduler.shutdownNow();
		}

		// The edge's own timeout is 2 s; the inbound call has only 300 ms left.
		assertThat(given).singleElement()
			.satisfies((deadline) -> assertThat(deadline).isLessThanOrEqualTo(Duration.ofMillis(300))
				.isGreaterThan(Duration.ofMillis(100)));
	}

	private static void busy(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

}
