package dev.switchboard.order.domain.saga;

import java.time.Instant;
import java.util.Objects;

/**
 * What a participant says of a step whose answer is overdue: whether it has taken the
 * step (then the step's own timeout runs from when it did) or the step still waits for it
 * (the participant is down or restarting, the command is queued behind others, or the
 * answer waits in the participant's outbox), which only the schedule-to-start timeout
 * bounds.
 */
public sealed interface StepProgress {

	/** The participant took the step at {@code at} and has not answered since. */
	record Started(Instant at) implements StepProgress {

		public Started {
			Objects.requireNonNull(at);
		}

	}

	/** The step waits for the participant, for the reason given. */
	record Waiting(String why) implements StepProgress {

		public Waiting {
			Objects.requireNonNull(why);
		}

	}

}
