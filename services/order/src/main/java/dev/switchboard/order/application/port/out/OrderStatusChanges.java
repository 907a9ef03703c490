package dev.switchboard.order.application.port.out;

import java.util.List;
import java.util.Optional;

import dev.switchboard.order.domain.OrderStatusChange;

/**
 * The status changes of orders as stored (written by the database itself, whatever
 * changed the status).
 */
public interface OrderStatusChanges {

	/**
	 * See {@link dev.switchboard.order.application.port.in.FollowOrdersUseCase#changes}.
	 */
	List<OrderStatusChange> after(String customerId, Optional<String> orderId, long afterSeq, int limit);

	long latest();

}
