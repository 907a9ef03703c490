package dev.switchboard.order.application.port.in;

import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.PlaceOrderCommand;

/**
 * Accepts an order: reserves its stock, records it as {@code PENDING} and announces it,
 * without waiting for payment or shipping.
 */
public interface PlaceOrderUseCase {

	/**
	 * @throws dev.switchboard.order.domain.UnknownSkuException for a SKU not in the
	 * catalogue
	 * @throws dev.switchboard.order.domain.OutOfStockException when stock is short
	 * @throws dev.switchboard.order.domain.IdempotencyKeyReusedException when the key
	 * came with another request
	 * @throws dev.switchboard.order.application.port.out.InventoryUnavailableException
	 * when inventory cannot be reached
	 * @throws OverloadedException when too many orders are in progress
	 * @throws CallerGoneException when the caller stopped waiting before the order was
	 * stored
	 */
	PlacedOrder place(PlaceOrderCommand command, Caller caller);

	/** Whoever asked for the order, as far as this service can tell. */
	@FunctionalInterface
	interface Caller {

		Caller WAITING = () -> false;

		/** Whether the caller has given up (its deadline passed, it cancelled). */
		boolean hasGivenUp();

	}

	/**
	 * The caller gave up while stock was being reserved, so the order was not stored and
	 * the reservation was released: storing it would make an order the caller was told
	 * had failed (and a retry without an idempotency key would make a second one).
	 */
	class CallerGoneException extends RuntimeException {

		public CallerGoneException(String message) {
			super(message);
		}

	}

	/**
	 * @param replayed whether this answers a retry of an earlier request with the same
	 * key
	 */
	record PlacedOrder(Order order, boolean replayed) {
	}

}
