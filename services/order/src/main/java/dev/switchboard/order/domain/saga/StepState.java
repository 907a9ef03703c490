package dev.switchboard.order.domain.saga;

/**
 * Where one step is. A step that {@link #TIMED_OUT} may still have had its effect (its
 * answer may just be late), so it is compensated like a {@link #SUCCEEDED} one; a
 * {@link #FAILED} step had no effect and needs no compensation.
 */
public enum StepState {

	PENDING, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, COMPENSATING, COMPENSATED;

	boolean mayHaveHadAnEffect() {
		return this == SUCCEEDED || this == TIMED_OUT;
	}

}
