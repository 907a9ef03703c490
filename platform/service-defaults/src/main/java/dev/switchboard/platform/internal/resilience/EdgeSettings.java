package dev.switchboard.platform.internal.resilience;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How one synchronous edge (a caller's calls to one downstream operation group) is
 * protected. Set under {@code switchboard.edges.<edge>.*}; every value has a default, so
 * an edge needs configuring only where it differs. The defaults and their reasons are in
 * {@code docs/resilience.md}.
 *
 * @param timeout the whole call's deadline, retries included (never longer than the
 * deadline of the inbound call it serves)
 * @param retry when and how often to try again
 * @param breaker when to stop calling a failing downstream
 * @param bulkhead how many calls may be in flight at once
 */
public record EdgeSettings(@DefaultValue("2s") Duration timeout, @DefaultValue Retry retry,
		@DefaultValue Breaker breaker, @DefaultValue Bulkhead bulkhead) {

	public static EdgeSettings defaults() {
		return new EdgeSettings(Duration.ofSeconds(2),
				new Retry(3, Duration.ofMillis(50), Duration.ofSeconds(1), 0.1, 10),
				new Breaker(50, 50, Duration.ofSeconds(1), 20, 10, Duration.ofSeconds(5), 3), new Bulkhead(32));
	}

	/**
	 * Retries of idempotent calls after UNAVAILABLE, DEADLINE_EXCEEDED, HTTP 503/504 or a
	 * connection error, with exponential backoff and full jitter, bounded by a budget.
	 *
	 * @param maxAttempts attempts in all, the first included (1 turns retries off)
	 * @param initialBackoff the cap of the first pause; each pause is random between zero
	 * and a cap that doubles per retry
	 * @param maxBackoff the largest cap
	 * @param budgetRatio retries earned per successful call: in a long outage at most
	 * this fraction of calls is retried
	 * @param budgetTokens the budget's size; retries stop while fewer than half are left
	 */
	public record Retry(@DefaultValue("3") int maxAttempts, @DefaultValue("50ms") Duration initialBackoff,
			@DefaultValue("1s") Duration maxBackoff, @DefaultValue("0.1") double budgetRatio,
			@DefaultValue("10") int budgetTokens) {
	}

	/**
	 * A count-based circuit breaker (closed, open, half-open).
	 *
	 * @param failureRate percent of failed calls in the window that opens it
	 * @param slowCallRate percent of slow calls in the window that opens it
	 * @param slowCallDuration a call slower than this is slow
	 * @param window how many recent calls are judged
	 * @param minimumCalls calls needed before the rates count
	 * @param openWait how long it stays open before letting trial calls through
	 * @param halfOpenCalls trial calls that decide whether it closes again
	 */
	public record Breaker(@DefaultValue("50") float failureRate, @DefaultValue("50") float slowCallRate,
			@DefaultValue("1s") Duration slowCallDuration, @DefaultValue("20") int window,
			@DefaultValue("10") int minimumCalls, @DefaultValue("5s") Duration openWait,
			@DefaultValue("3") int halfOpenCalls) {
	}

	/**
	 * @param maxConcurrentCalls calls in flight at once; one more is refused at once
	 */
	public record Bulkhead(@DefaultValue("32") int maxConcurrentCalls) {
	}

}
