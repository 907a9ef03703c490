package dev.switchboard.order.domain.saga;

/**
 * Who drives an order's saga. Fixed when the order is created, so that a restart with
 * another mode finishes the sagas already running the way they started.
 */
public enum SagaMode {

	/** The order service sends each participant a command and waits for its reply. */
	ORCHESTRATION,

	/** Each participant reacts to the others' events; the order service only records. */
	CHOREOGRAPHY

}
