package dev.switchboard.order.application.port.in;

import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.PlaceOrderCommand;

/**
 * Accepts an order: reserves its stock, records it as {@code PENDING} and announces it,
 * without waiting for payment or shipping.
 */
public interface PlaceOrderUseCase {

	/**
	 * @throws dev.switchboard.order.domain.UnknownSkuException for a SKU not in the catalogue
	 * @throws dev.switchboard.order.domain.OutOfStockException when stock is short
	 * @throws dev.switchboard.order.domain.IdempotencyKeyReusedException when the key came with another request
	 * @throws dev.switchboard.order.application.port.out.InventoryUnavailableException when inventory cannot be reached
	 */
	PlacedOrder place(PlaceOrderCommand command);

	/**
	 * @param replayed whether this answers a retry of an earlier request with the same key
	 */
	record PlacedOrder(Order order, boolean replayed) {
	}

}
