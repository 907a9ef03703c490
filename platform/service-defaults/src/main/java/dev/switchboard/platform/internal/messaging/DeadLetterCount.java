package dev.switchboard.platform.internal.messaging;

import java.util.List;

import io.micrometer.core.instrument.Metrics;

import dev.switchboard.platform.queue.DeadLetterHeaders;

/**
 * Counts the messages a service sets aside as dead letters, by channel (the dead-letter
 * topic or queue) and reason ({@code malformed}, {@code expired}, {@code failed}), as the
 * counter {@value #METER}.
 *
 * <p>
 * Counted in Micrometer's global registry, which Spring Boot adds its own registries to:
 * the work-queue bindings that dead-letter are also built outside Spring (by tests, and
 * one per broker), and every one of them reaches it without a registry handed down.
 */
public final class DeadLetterCount {

	public static final String METER = "switchboard.dead.letters";

	private DeadLetterCount() {
	}

	/**
	 * Shows {@code channel}'s counts, at zero, before anything is dead-lettered there: a
	 * dashboard sees every channel, and a rate from the first dead letter on.
	 */
	public static void register(String channel) {
		for (String reason : List.of(DeadLetterHeaders.MALFORMED, DeadLetterHeaders.EXPIRED,
				DeadLetterHeaders.FAILED)) {
			Metrics.counter(METER, "channel", channel, "reason", reason);
		}
	}

	/** One more message dead-lettered on {@code channel}, once the broker has it. */
	public static void record(String channel, String reason) {
		Metrics.counter(METER, "channel", channel, "reason", reason).increment();
	}

}
