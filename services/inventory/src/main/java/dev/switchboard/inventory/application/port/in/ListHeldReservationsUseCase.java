package dev.switchboard.inventory.application.port.in;

import java.time.Instant;
import java.util.List;

import dev.switchboard.inventory.domain.HeldReservation;

/**
 * Reservations still holding stock since before an instant, for whoever checks that an
 * order took each of them (the order service's sweep).
 */
public interface ListHeldReservationsUseCase {

	/**
	 * At most {@code limit} of them, by order id, after {@code afterOrderId} (empty: from
	 * the first).
	 */
	List<HeldReservation> heldSince(Instant before, String afterOrderId, int limit);

}
