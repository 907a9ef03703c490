package dev.switchboard.order.domain.saga;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each step may take before the saga gives up on it, how long a step may wait
 * for its participant to take it, and how compensations are retried: the first retry
 * after {@code compensation}, each next one after twice as long, never more than
 * {@code maxCompensationBackoff} apart. Compensations travel on a durable queue, so an
 * unconfirmed one is usually only slow, not lost: retrying it soon would add load exactly
 * when the system is overloaded. The defaults (30 s, at most 5 min apart) keep retries
 * for participants that are down or failing.
 *
 * <p>
 * The step timeouts ({@code reserve}, {@code charge}, {@code allocate}, {@code ship}) are
 * start-to-close: they run from when the participant took the step. Before that the step
 * waits for the participant, which may be down, restarting or busy with the commands
 * queued before it: waiting is not failing, and only {@code scheduleToStart} (minutes by
 * default) bounds it, as in durable-execution engines such as Temporal.
 */
public record SagaTimeouts(Duration reserve, Duration charge, Duration allocate, Duration ship, Duration compensation,
		Duration maxCompensationBackoff, Duration scheduleToStart) {

	public static final SagaTimeouts DEFAULTS = new SagaTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10),
			Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5),
			Duration.ofMinutes(5));

	public SagaTimeouts {
		for (Duration d : new Duration[] { reserve, charge, allocate, ship, compensation, maxCompensationBackoff,
				scheduleToStart }) {
			if (Objects.requireNonNull(d).isNegative() || d.isZero()) {
				throw new IllegalArgumentException("Saga timeouts must be positive, got " + d);
			}
		}
	}

	public Duration of(StepName step) {
		return switch (step) {
			case RESERVE -> this.reserve;
			case CHARGE -> this.charge;
			case ALLOCATE -> this.allocate;
			case SHIP -> this.ship;
		};
	}

	/**
	 * The shortest wait any deadline is set with: no deadline set from now on comes
	 * sooner.
	 */
	public Duration shortest() {
		Duration shortest = this.maxCompensationBackoff;
		for (Duration d : new Duration[] { this.reserve, this.charge, this.allocate, this.ship, this.compensation }) {
			shortest = (d.compareTo(shortest) < 0) ? d : shortest;
		}
		return shortest;
	}

	/** The wait before compensation attempt {@code attempt} (1-based) is given up on. */
	public Duration compensationBackoff(int attempt) {
		Duration wait = this.compensation;
		for (int i = 1; i < attempt && wait.compareTo(this.maxCompensationBackoff) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return wait.compareTo(this.maxCompensationBackoff) > 0 ? this.maxCompensationBackoff : wait;
	}

}
