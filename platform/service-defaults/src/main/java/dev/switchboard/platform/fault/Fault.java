package dev.switchboard.platform.fault;

import java.time.Duration;
import java.time.Instant;

/**
 * A fault injected into a service's inbound calls until {@code until}: each matching call
 * is delayed by {@code latency}, then fails with probability {@code errorRate} (always when
 * {@code abort}).
 *
 * @param latency added before the call is handled (zero for none)
 * @param errorRate the share of calls that fail, 0 to 1
 * @param abort every matching call fails
 * @param route only calls whose gRPC method or HTTP path contains this (null: all calls)
 * @param until when the fault clears itself
 */
public record Fault(Duration latency, double errorRate, boolean abort, String route, Instant until) {

	static final Duration MAX_LATENCY = Duration.ofMinutes(5);

	static final Duration MAX_DURATION = Duration.ofHours(1);

	public Fault {
		if (latency == null || latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
			throw new IllegalArgumentException("latency must be between 0 and " + MAX_LATENCY.toMinutes() + " minutes");
		}
		if (!(errorRate >= 0 && errorRate <= 1)) {
			throw new IllegalArgumentException("errorRate must be between 0 and 1, was " + errorRate);
		}
		if (latency.isZero() && errorRate == 0 && !abort) {
			throw new IllegalArgumentException("a fault needs a latency, an error rate or abort");
		}
		route = (route == null || route.isBlank()) ? null : route;
	}

	boolean appliesTo(String target, Instant now) {
		return now.isBefore(this.until) && (this.route == null || target.contains(this.route));
	}

}
