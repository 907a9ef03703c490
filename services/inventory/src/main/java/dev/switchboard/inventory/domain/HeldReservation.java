package dev.switchboard.inventory.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A reservation still holding stock for an order, with the attempt that made it and since
 * when it has held it.
 *
 * @param attempt the order service's attempt that made it; {@code null} when unknown
 */
public record HeldReservation(String orderId, String attempt, Instant reservedAt) {

	public HeldReservation {
		Objects.requireNonNull(orderId);
		Objects.requireNonNull(reservedAt);
	}

}
