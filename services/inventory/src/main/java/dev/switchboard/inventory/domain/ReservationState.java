package dev.switchboard.inventory.domain;

/**
 * The life of a reservation: stock is {@link #RESERVED} for an order, then either
 * {@link #RELEASED} back to available stock (order cancelled) or {@link #ALLOCATED} to its
 * shipment (order completed). Both ends are final.
 */
public enum ReservationState {

	RESERVED, RELEASED, ALLOCATED;

	public boolean canMoveTo(ReservationState next) {
		return this == RESERVED && next != RESERVED;
	}

}
