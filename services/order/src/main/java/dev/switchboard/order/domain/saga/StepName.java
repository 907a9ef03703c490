package dev.switchboard.order.domain.saga;

/** The steps of the order saga, in the order they run. */
public enum StepName {

	/** Stock taken from available at order time (synchronously, before the 201). */
	RESERVE,

	/** The customer's card charged. */
	CHARGE,

	/** The reserved units allocated to the order (picked for shipping). */
	ALLOCATE,

	/** The shipment scheduled. */
	SHIP

}
