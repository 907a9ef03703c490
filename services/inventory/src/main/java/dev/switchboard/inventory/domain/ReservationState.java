package dev.switchboard.inventory.domain;

/**
 * The life of a reservation: stock is {@link #RESERVED} for an order when it is placed,
 * {@link #ALLOCATED} to its shipment once paid (and back to reserved if the saga undoes
 * the allocation), or {@link #RELEASED} to available stock when the order is cancelled.
 * Released is final.
 */
public enum ReservationState {

	RESERVED, RELEASED, ALLOCATED;

}
