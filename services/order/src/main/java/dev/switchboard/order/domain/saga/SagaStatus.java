package dev.switchboard.order.domain.saga;

/**
 * The saga as a whole: {@link #RUNNING} its steps, {@link #COMPENSATING} after a failure,
 * then {@link #COMPLETED} (every step succeeded) or {@link #CANCELLED} (every step that
 * may have had an effect was compensated). The last two are final.
 */
public enum SagaStatus {

	RUNNING, COMPENSATING, COMPLETED, CANCELLED;

	public boolean isFinal() {
		return this == COMPLETED || this == CANCELLED;
	}

}
