package dev.switchboard.order.application.port.in;

/**
 * What a customer may change on an order once it is placed, one order at a time (the bulk
 * RPC applies each change of its stream on its own).
 */
public interface UpdateOrdersUseCase {

	/**
	 * Cancels the customer's order: its saga compensates what was done (a reservation
	 * released, a charge refunded) and the order ends cancelled with this reason.
	 * @throws dev.switchboard.order.domain.OrderNotFoundException when the customer has
	 * no such order
	 * @throws dev.switchboard.order.domain.saga.CancellationRefusedException when it is
	 * being shipped or has ended
	 */
	void cancel(String orderId, String customerId, String reason);

	/**
	 * Adds a note to the customer's order's timeline (its saga history).
	 * @throws dev.switchboard.order.domain.OrderNotFoundException when the customer has
	 * no such order
	 */
	void annotate(String orderId, String customerId, String note);

}
