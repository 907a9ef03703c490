package dev.switchboard.contracts.queues;

import java.time.Duration;
import java.util.Objects;

/**
 * What a work queue promises, whatever broker carries it: competing consumers that each
 * take a message, acknowledge it once its effect is done, retry it with exponential
 * backoff up to {@code maxAttempts} times, then move it to the dead-letter queue
 * {@link #deadLetterName()}. Optional limits: {@code maxLength} messages waiting (further
 * sends are refused with a refusal (QueueFullException); 0 means unbounded) and
 * {@code priorities} levels (0 is the lowest; 1 means no priority).
 */
public record QueueSpec(String name, int maxAttempts, Duration initialBackoff, Duration maxBackoff, long maxLength,
		int priorities) {

	/** The most priority levels a queue may have (RabbitMQ advises at most ten). */
	public static final int MAX_PRIORITIES = 10;

	public QueueSpec {
		Objects.requireNonNull(name, "name");
		if (!name.matches("[a-z0-9][a-z0-9.-]*")) {
			throw new IllegalArgumentException(
					"Queue name must be lower-case letters, digits, dots and dashes: " + name);
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException("Backoff must satisfy 0 <= initial <= max");
		}
		if (maxLength < 0) {
			throw new IllegalArgumentException("maxLength must be 0 (unbounded) or positive, was " + maxLength);
		}
		if (priorities < 1 || priorities > MAX_PRIORITIES) {
			throw new IllegalArgumentException(
					"priorities must be between 1 and " + MAX_PRIORITIES + ", was " + priorities);
		}
	}

	/**
	 * A queue with five attempts, backoff from 200 ms doubling up to 5 s, unbounded, one
	 * priority.
	 */
	public static QueueSpec named(String name) {
		return new QueueSpec(name, 5, Duration.ofMillis(200), Duration.ofSeconds(5), 0, 1);
	}

	public QueueSpec withMaxAttempts(int maxAttempts) {
		return new QueueSpec(this.name, maxAttempts, this.initialBackoff, this.maxBackoff, this.maxLength,
				this.priorities);
	}

	public QueueSpec withBackoff(Duration initial, Duration max) {
		return new QueueSpec(this.name, this.maxAttempts, initial, max, this.maxLength, this.priorities);
	}

	public QueueSpec withMaxLength(long maxLength) {
		return new QueueSpec(this.name, this.maxAttempts, this.initialBackoff, this.maxBackoff, maxLength,
				this.priorities);
	}

	public QueueSpec withPriorities(int priorities) {
		return new QueueSpec(this.name, this.maxAttempts, this.initialBackoff, this.maxBackoff, this.maxLength,
				priorities);
	}

	/**
	 * The name of priority level {@code level} (0 the lowest) where a broker keeps one
	 * channel a level (a Kafka topic and share group): the queue's own name for level 0,
	 * {@code <name>.p<level>} above.
	 */
	public String levelName(int level) {
		return (level == 0) ? this.name : this.name + ".p" + level;
	}

	/**
	 * Where messages go that expired or failed every attempt: {@code dlq.<name>}, the
	 * prefix Kafka brokers require of the dead-letter topics they write for share groups.
	 */
	public String deadLetterName() {
		return "dlq." + this.name;
	}

	/**
	 * The pause before attempt {@code attempt + 1}, after {@code attempt} failed
	 * (1-based).
	 */
	public Duration backoffAfter(int attempt) {
		Duration backoff = this.initialBackoff;
		for (int i = 1; i < attempt && backoff.compareTo(this.maxBackoff) < 0; i++) {
			backoff = backoff.multipliedBy(2);
		}
		return (backoff.compareTo(this.maxBackoff) > 0) ? this.maxBackoff : backoff;
	}

	/** The most time {@link #maxAttempts} attempts spend waiting between each other. */
	public Duration totalBackoff() {
		Duration total = Duration.ZERO;
		for (int attempt = 1; attempt < this.maxAttempts; attempt++) {
			total = total.plus(backoffAfter(attempt));
		}
		return total;
	}

}
