package dev.switchboard.inventory.application.port.in;

import java.util.Optional;

import dev.switchboard.inventory.domain.Reservation;

/**
 * Moves a reservation along the order's saga: allocate it to the shipment, undo that
 * (deallocate), or release its stock back to available. Each is idempotent: repeating one
 * changes nothing and reports the same outcome.
 */
public interface SettleReservationUseCase {

	Settlement allocate(String orderId);

	Settlement deallocate(String orderId);

	Settlement release(String orderId);

	/**
	 * Releases the reservation the order service's attempt {@code attemptId} made or is
	 * still making (a release that arrives first leaves a marker refusing that attempt).
	 */
	Settlement release(String orderId, String attemptId);

	/**
	 * @param reservation the reservation afterwards; empty when the order has none
	 * @param changed whether this call changed it
	 * @param refusal why it could not be done; {@code null} when it was done (now or
	 * before)
	 */
	record Settlement(Optional<Reservation> reservation, boolean changed, String refusal) {

		public boolean succeeded() {
			return this.refusal == null;
		}

	}

}
