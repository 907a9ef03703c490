package dev.switchboard.shipping.application.port.in;

import java.util.Optional;

import dev.switchboard.shipping.domain.Destination;
import dev.switchboard.shipping.domain.Shipment;

/**
 * Shipping's part in a saga, both ways: commanded (ship, cancel) and choreographed (ship
 * once the address is known and the stock allocated, in whichever order they arrive).
 * Every call may be repeated; the order's one decision is answered again.
 */
public interface ShipOrdersUseCase {

	/** Ships the order to {@code country} unless it was decided before. */
	Outcome ship(String orderId, String country);

	/** Cancels the order's shipment, or makes sure none will be made. */
	Outcome cancel(String orderId);

	/**
	 * Choreography: remembers where the order goes, and ships it if its stock is
	 * allocated.
	 */
	Optional<Outcome> addressKnown(String orderId, Destination destination);

	/**
	 * Choreography: notes that the order's stock is allocated, and ships it if its
	 * address is known.
	 */
	Optional<Outcome> stockAllocated(String orderId);

	/**
	 * @param shipment the order's shipment after the call
	 * @param made whether this call made or changed it (so its event is announced once)
	 */
	record Outcome(Shipment shipment, boolean made) {

	}

}
