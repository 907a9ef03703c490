package dev.switchboard.order.application.port.out;

import java.util.List;

import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.PlaceOrderCommand.Item;

/**
 * The inventory service, called synchronously: an order is only accepted with its stock
 * reserved.
 */
public interface InventoryPort {

	/**
	 * Reserves every item for the order or none; repeating it for the same order and items
	 * is harmless.
	 * @return the lines priced from the catalogue
	 * @throws dev.switchboard.order.domain.UnknownSkuException for a SKU not in the catalogue
	 * @throws dev.switchboard.order.domain.OutOfStockException when stock is short
	 * @throws ReservationConflictException when the order id was reserved with other items
	 * @throws InventoryUnavailableException when inventory did not answer in time
	 */
	List<OrderLine> reserve(String orderId, List<Item> items);

	/** Gives the order's reserved stock back; harmless when there is none. */
	void release(String orderId);

	class ReservationConflictException extends RuntimeException {

		public ReservationConflictException(String message) {
			super(message);
		}

	}

}
