package dev.switchboard.inventory.application.port.in;

import java.util.Optional;

import dev.switchboard.inventory.domain.Reservation;

/**
 * Ends a reservation: its stock goes back to available (release) or out with the shipment
 * (allocate). Both are idempotent; settling an unknown or already settled reservation
 * changes nothing.
 */
public interface SettleReservationUseCase {

	Optional<Reservation> release(String orderId);

	Optional<Reservation> allocate(String orderId);

}
