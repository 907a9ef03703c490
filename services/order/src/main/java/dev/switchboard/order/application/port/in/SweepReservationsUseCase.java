package dev.switchboard.order.application.port.in;

/**
 * Gives back stock that no order took: a reservation inventory still holds, made longer
 * ago than any placement can take, for an order this service does not have (it crashed
 * between the reservation and storing the order, or the release after a failed placement
 * was lost).
 */
public interface SweepReservationsUseCase {

	/** Releases every such reservation now; returns how many. */
	int releaseUnclaimed();

}
