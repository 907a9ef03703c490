package dev.switchboard.platform.internal.messaging;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import dev.switchboard.platform.transaction.AfterCommit;

/**
 * Counts every message a consumer handled (its first delivery; repeats its inbox skips
 * are not counted) as the timer {@value #METER}, by channel (topic or queue) and
 * consumer, timed from the message's writing to its handling: an asynchronous hop's rate
 * and latency, as {@code switchboard.edge.calls} gives a synchronous one's. Counted when
 * the handler's transaction commits.
 *
 * <p>
 * In Micrometer's global registry, which Spring Boot adds its own to, as
 * {@link DeadLetterCount} is.
 */
public final class HandledMessages {

	public static final String METER = "switchboard.messages.handled";

	private HandledMessages() {
	}

	/**
	 * {@code consumer} handled a message written at {@code written} on {@code channel}.
	 */
	public static void record(String channel, String consumer, Instant written) {
		Timer timer = Timer.builder(METER)
			.description("Messages handled, from their writing to their handling")
			.tags("channel", channel, "consumer", consumer)
			.publishPercentileHistogram()
			.register(Metrics.globalRegistry);
		Duration delay = (written != null) ? Duration.between(written, Instant.now()) : Duration.ZERO;
		Duration took = delay.isNegative() ? Duration.ZERO : delay;
		AfterCommit.run(() -> timer.record(took));
	}

}
