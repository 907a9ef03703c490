package dev.switchboard.platform.resilience;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Context;
import io.grpc.Deadline;

import dev.switchboard.platform.internal.resilience.EdgeSettings;
import dev.switchboard.platform.internal.resilience.Failures;
import dev.switchboard.platform.internal.resilience.RetryBudget;

/**
 * One protected synchronous edge: every call gets a deadline, passes a bulkhead and a
 * circuit breaker (Resilience4j), and, when idempotent, is retried after retryable
 * failures with exponential backoff and full jitter, within the deadline, the attempt
 * limit and the edge's {@link RetryBudget}.
 *
 * <p>
 * Retries are this class's loop rather than Resilience4j's Retry because they must stop
 * at the call's overall deadline (which includes the deadline of the inbound gRPC call
 * being served) and spend a budget shared by all calls of the edge.
 */
public final class Edge {

	private static final Duration MINIMUM_ATTEMPT = Duration.ofMillis(20);

	private static final int TRANSITIONS_KEPT = 20;

	private static final Duration RECONNECT_INTERVAL = Duration.ofSeconds(1);

	private final String name;

	private final EdgeSettings settings;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final RetryBudget budget;

	/**
	 * Every call through an edge, retries included, by {@code outcome}: {@code success},
	 * {@code error} (after any retries), {@code refused} (breaker open or bulkhead full,
	 * not sent): rate, errors and duration per edge.
	 */
	public static final String CALLS_METER = "switchboard.edge.calls";

	/** Retries, by {@code result}: {@code made}, or {@code refused} by the budget. */
	public static final String RETRIES_METER = "switchboard.edge.retries";

	/** The tokens left in each edge's retry budget. */
	public static final String BUDGET_METER = "switchboard.edge.retry.budget";

	private static final String EDGE_TAG = "edge";

	private final LongAdder calls = new LongAdder();

	private final Timer succeeded;

	private final Timer failed;

	private final Timer refused;

	private final LongAdder retries = new LongAdder();

	private final LongAdder retriesRefused = new LongAdder();

	private final Deque<String> transitions = new ArrayDeque<>();

	private volatile Runnable reconnect = () -> {
	};

	private final AtomicLong lastReconnect = new AtomicLong(System.nanoTime() - RECONNECT_INTERVAL.toNanos());

	Edge(String name, EdgeSettings settings, CircuitBreaker breaker, Bulkhead bulkhead, MeterRegistry meters) {
		this.name = name;
		this.settings = settings;
		this.breaker = breaker;
		this.bulkhead = bulkhead;
		this.budget = new RetryBudget(settings.retry().budgetTokens(), settings.retry().budgetRatio());
		this.succeeded = callTimer(meters, "success");
		this.failed = callTimer(meters, "error");
		this.refused = callTimer(meters, "refused");
		FunctionCounter.builder(RETRIES_METER, this.retries, LongAdder::sum)
			.description("Retries an edge made after a retryable failure")
			.tags(EDGE_TAG, name, "result", "made")
			.register(meters);
		FunctionCounter.builder(RETRIES_METER, this.retriesRefused, LongAdder::sum)
			.description("Retries an edge's retry budget refused (too many failures lately)")
			.tags(EDGE_TAG, name, "result", "refused")
			.register(meters);
		Gauge.builder(BUDGET_METER, this.budget, RetryBudget::tokens)
			.description("Tokens left in an edge's retry budget; retries stop at half of the maximum")
			.tag(EDGE_TAG, name)
			.register(meters);
		breaker.getEventPublisher()
			.onStateTransition((event) -> remember(event.getCreationTime().toInstant() + " "
					+ event.getStateTransition().getFromState() + " -> " + event.getStateTransition().getToState()));
	}

	public String name() {
		return this.name;
	}

	/**
	 * How many calls the bulkhead lets through at once: a caller that queues its calls
	 * itself (an executor) sizes its queue's workers by it, so none is refused.
	 */
	public int maxConcurrentCalls() {
		return this.settings.bulkhead().maxConcurrentCalls();
	}

	/**
	 * The whole call's deadline, retries included, unless the inbound call's comes first.
	 */
	public Duration timeout() {
		return this.settings.timeout();
	}

	/**
	 * What to do when the downstream seems unreachable; done at most once a second. For a
	 * gRPC channel: {@code channel::resetConnectBackoff}. Without it a channel that lost
	 * its server waits out an exponential reconnect backoff (up to two minutes in
	 * grpc-java), and calls keep failing for many seconds after the server is back.
	 */
	public Edge reconnectWith(Runnable reconnect) {
		this.reconnect = reconnect;
		return this;
	}

	/**
	 * Calls the downstream once, or more often if {@code idempotent} and a retry may
	 * help.
	 * @param idempotent whether repeating the call is safe: a read, or a write the
	 * downstream deduplicates (an idempotency key, a natural key)
	 * @param attempt makes one attempt within the time it is given (pass it on as the
	 * call's deadline or timeout)
	 * @throws EdgeUnavailableException when the breaker is open or the bulkhead full
	 */
	public <T> T call(boolean idempotent, Function<Duration, T> attempt) {
		long started = System.nanoTime();
		Timer outcome = this.failed;
		try {
			T result = attempts(idempotent, attempt);
			outcome = this.succeeded;
			return result;
		}
		catch (EdgeUnavailableException ex) {
			outcome = this.refused;
			throw ex;
		}
		finally {
			outcome.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		}
	}

	private Timer callTimer(MeterRegistry meters, String outcome) {
		return Timer.builder(CALLS_METER)
			.description("Calls through a protected synchronous edge, retries included")
			.tags(EDGE_TAG, this.name, "outcome", outcome)
			.publishPercentileHistogram()
			.register(meters);
	}

	private <T> T attempts(boolean idempotent, Function<Duration, T> attempt) {
		this.calls.increment();
		long deadline = deadline();
		int attempts = 0;
		while (true) {
			attempts++;
			Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
			try {
				T result = guarded(attempt, remaining);
				this.budget.onSuccess();
				return result;
			}
			catch (CallNotPermittedException ex) {
				throw new EdgeUnavailableException(this.name, "its circuit breaker is open",
						this.settings.breaker().openWait(), ex);
			}
			catch (BulkheadFullException ex) {
				throw new EdgeUnavailableException(this.name,
						"too many calls in flight (" + this.settings.bulkhead().maxConcurrentCalls() + ")",
						Duration.ofSeconds(1), ex);
			}
			catch (RuntimeException ex) {
				if (!Failures.retryable(ex)) {
					throw ex;
				}
				if (Failures.unreachable(ex)) {
					reconnectNow();
				}
				this.budget.onFailure();
				if (!idempotent || attempts >= this.settings.retry().maxAttempts()) {
					throw ex;
				}
				if (!this.budget.allowsRetry()) {
					this.retriesRefused.increment();
					throw ex;
				}
				Duration pause = fullJitter(attempts);
				if (Duration.ofNanos(deadline - System.nanoTime()).minus(pause).compareTo(MINIMUM_ATTEMPT) < 0) {
					throw ex;
				}
				this.retries.increment();
				sleep(pause, ex);
			}
		}
	}

	private void reconnectNow() {
		long last = this.lastReconnect.get();
		long now = System.nanoTime();
		if (now - last >= RECONNECT_INTERVAL.toNanos() && this.lastReconnect.compareAndSet(last, now)) {
			this.reconnect.run();
		}
	}

	private <T> T guarded(Function<Duration, T> attempt, Duration remaining) {
		if (remaining.compareTo(MINIMUM_ATTEMPT) < 0) {
			remaining = MINIMUM_ATTEMPT;
		}
		Duration timeout = remaining;
		return Bulkhead
			.decorateSupplier(this.bulkhead,
					CircuitBreaker.decorateSupplier(this.breaker, () -> attempt.apply(timeout)))
			.get();
	}

	/**
	 * Now plus the edge's timeout, or the inbound call's deadline if that comes first.
	 */
	private long deadline() {
		long own = System.nanoTime() + this.settings.timeout().toNanos();
		Deadline inbound = Context.current().getDeadline();
		if (inbound == null) {
			return own;
		}
		return Math.min(own, System.nanoTime() + inbound.timeRemaining(TimeUnit.NANOSECONDS));
	}

	/** Random between zero and initial × 2^(retry - 1), capped: "full jitter". */
	private Duration fullJitter(int attemptsMade) {
		long cap = this.settings.retry().initialBackoff().toNanos() << Math.min(attemptsMade - 1, 30);
		cap = Math.min(cap, this.settings.retry().maxBackoff().toNanos());
		return Duration.ofNanos(ThreadLocalRandom.current().nextLong(cap + 1));
	}

	private static void sleep(Duration pause, RuntimeException failure) {
		try {
			Thread.sleep(pause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure;
		}
	}

	private void remember(String transition) {
		synchronized (this.transitions) {
			if (this.transitions.size() == TRANSITIONS_KEPT) {
				this.transitions.removeFirst();
			}
			this.transitions.addLast(transition);
		}
	}

	/** What the admin endpoint shows of this edge. */
	public Snapshot snapshot() {
		CircuitBreaker.Metrics metrics = this.breaker.getMetrics();
		List<String> history;
		synchronized (this.transitions) {
			history = List.copyOf(this.transitions);
		}
		return new Snapshot(this.breaker.getState().name(), metrics.getFailureRate(), metrics.getSlowCallRate(),
				metrics.getNumberOfBufferedCalls(), metrics.getNumberOfNotPermittedCalls(),
				this.bulkhead.getMetrics().getAvailableConcurrentCalls(),
				this.bulkhead.getMetrics().getMaxAllowedConcurrentCalls(), this.calls.sum(), this.retries.sum(),
				this.retriesRefused.sum(), this.budget.tokens(), this.settings, history);
	}

	/**
	 * @param breakerState CLOSED, OPEN, HALF_OPEN (or a forced state)
	 * @param failureRate percent of failed calls in the window, -1 before enough calls
	 * @param slowCallRate percent of slow calls in the window, -1 before enough calls
	 * @param bufferedCalls calls in the breaker's window
	 * @param notPermittedCalls calls refused by the open breaker
	 * @param bulkheadAvailable free places in the bulkhead
	 * @param bulkheadMax the bulkhead's size
	 * @param calls calls made through the edge
	 * @param retries retries made
	 * @param retriesRefused retries the budget refused
	 * @param retryBudgetTokens tokens left in the retry budget
	 * @param settings the edge's settings
	 * @param transitions the breaker's latest state changes, oldest first
	 */
	public record Snapshot(String breakerState, float failureRate, float slowCallRate, int bufferedCalls,
			long notPermittedCalls, int bulkheadAvailable, int bulkheadMax, long calls, long retries,
			long retriesRefused, double retryBudgetTokens, EdgeSettings settings, List<String> transitions) {
	}

}
