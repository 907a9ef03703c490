package dev.switchboard.inventory.application.port.in;

import dev.switchboard.inventory.domain.Reservation;
import dev.switchboard.inventory.domain.ReservationRequest;

/**
 * Sets stock aside for an order: every line or none.
 */
public interface ReserveStockUseCase {

	/**
	 * Reserves the request's lines. Repeating an identical request returns the existing
	 * reservation.
	 * @throws dev.switchboard.inventory.domain.UnknownSkuException for a SKU not in the
	 * catalogue
	 * @throws dev.switchboard.inventory.domain.InsufficientStockException when a line
	 * cannot be covered
	 * @throws dev.switchboard.inventory.domain.ReservationConflictException when the
	 * order was reserved with other lines
	 * @throws dev.switchboard.inventory.domain.ReservationReleasedException when the
	 * order's reservation was released and this is not a new attempt
	 */
	Reservation reserve(ReservationRequest request);

}
