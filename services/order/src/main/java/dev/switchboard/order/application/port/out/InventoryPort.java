package dev.switchboard.order.application.port.out;

import java.time.Instant;
import java.util.List;

import dev.switchboard.order.domain.InventoryUnavailableException;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.PlaceOrderCommand.Item;

/**
 * The inventory service, called synchronously: an order is only accepted with its stock
 * reserved.
 */
public interface InventoryPort {

	/**
	 * Reserves every item for the order or none; repeating it for the same order and
	 * items is harmless. {@code attemptId} names this attempt to place the order (new for
	 * each request the order service handles): a reservation released after an earlier
	 * attempt was given up is reserved again by a new attempt, never by a late copy of
	 * that one.
	 * @return the lines priced from the catalogue
	 * @throws dev.switchboard.order.domain.UnknownSkuException for a SKU not in the
	 * catalogue
	 * @throws dev.switchboard.order.domain.OutOfStockException when stock is short
	 * @throws ReservationConflictException when the order id was reserved with other
	 * items
	 * @throws InventoryUnavailableException when inventory did not answer in time
	 */
	List<OrderLine> reserve(String orderId, String attemptId, List<Item> items);

	/**
	 * Gives back the stock the attempt reserved (or is reserving); harmless when there is
	 * none.
	 */
	void release(String orderId, String attemptId);

	/**
	 * Reservations that have held stock since before {@code before}, at most
	 * {@code limit}, by order id after {@code afterOrderId} (empty: from the first).
	 * @throws InventoryUnavailableException when inventory did not answer in time
	 */
	List<HeldReservation> heldSince(Instant before, String afterOrderId, int limit);

	/**
	 * A reservation holding stock, with the attempt that made it ({@code ""} when
	 * unknown).
	 */
	record HeldReservation(String orderId, String attemptId, Instant reservedAt) {
	}

	class ReservationConflictException extends RuntimeException {

		public ReservationConflictException(String message) {
			super(message);
		}

	}

}
