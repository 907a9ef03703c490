package dev.switchboard.shipping.domain;

/**
 * Where an order's shipment stands; the first decision is final except CREATED →
 * CANCELLED.
 */
public enum ShipmentStatus {

	/** Accepted for delivery. */
	CREATED,

	/** Refused by the delivery policy; the reason says why. */
	REJECTED,

	/**
	 * Cancelled after it was created, or before any was made (then no shipment will
	 * follow).
	 */
	CANCELLED

}
