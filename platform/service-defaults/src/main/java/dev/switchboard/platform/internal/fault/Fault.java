package dev.switchboard.platform.internal.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fault injected into a service's inbound calls until {@code until}: each matching call
 * is delayed by {@code latency} (or a {@code latencyRate} share of them), then fails with
 * probability {@code errorRate} (always when {@code abort}). The event deliveries of its
 * Kafka consumers ({@code events:<group>}) can be disordered too: each record of a poll
 * handed over twice with probability {@code duplicateRate}, swapped with the next with
 * probability {@code reorderRate}, as a broker's redelivery after a rebalance or a
 * producer's retry would, and, when the route names them ({@code events:...}), each
 * delayed by {@code latency}, as a slow consumer.
 *
 * @param latency added before the call is handled (zero for none)
 * @param latencyRate the share of matching calls delayed, 0 to 1 (1: every one)
 * @param errorRate the share of calls that fail, 0 to 1
 * @param abort every matching call fails
 * @param duplicateRate the share of event deliveries handed over twice, 0 to 1
 * @param reorderRate the share of event deliveries swapped with the one after, 0 to 1
 * @param route only calls whose gRPC method or HTTP path contains this (null: all calls)
 * @param until when the fault clears itself
 */
public record Fault(Duration latency, double latencyRate, double errorRate, boolean abort, double duplicateRate,
		double reorderRate, String route, Instant until) {

	static final Duration MAX_LATENCY = Duration.ofMinutes(5);

	static final Duration MAX_DURATION = Duration.ofHours(1);

	public Fault {
		if (latency == null || latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
			throw new IllegalArgumentException("latency must be between 0 and " + MAX_LATENCY.toMinutes() + " minutes");
		}
		if (!(latencyRate >= 0 && latencyRate <= 1)) {
			throw new IllegalArgumentException("latencyRate must be between 0 and 1, was " + latencyRate);
		}
		if (!(errorRate >= 0 && errorRate <= 1)) {
			throw new IllegalArgumentException("errorRate must be between 0 and 1, was " + errorRate);
		}
		if (!(duplicateRate >= 0 && duplicateRate <= 1)) {
			throw new IllegalArgumentException("duplicateRate must be between 0 and 1, was " + duplicateRate);
		}
		if (!(reorderRate >= 0 && reorderRate <= 1)) {
			throw new IllegalArgumentException("reorderRate must be between 0 and 1, was " + reorderRate);
		}
		if ((latency.isZero() || latencyRate == 0) && errorRate == 0 && !abort && duplicateRate == 0
				&& reorderRate == 0) {
			throw new IllegalArgumentException(
					"a fault needs a latency, an error rate, abort, a duplicate or a reorder rate");
		}
		route = (route == null || route.isBlank()) ? null : route;
	}

	/** Whether this call is one to delay: drawn for each call. */
	boolean delays() {
		return !this.latency.isZero()
				&& (this.latencyRate >= 1 || ThreadLocalRandom.current().nextDouble() < this.latencyRate);
	}

	boolean appliesTo(String target, Instant now) {
		return now.isBefore(this.until) && (this.route == null || target.contains(this.route));
	}

}
