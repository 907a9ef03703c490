package dev.switchboard.order.application.port.in;

import java.util.List;
import java.util.Optional;

import dev.switchboard.order.domain.OrderStatusChange;

/**
 * The status changes of a customer's orders, read a page at a time by those who follow
 * them live.
 */
public interface FollowOrdersUseCase {

	/**
	 * Up to {@code limit} changes after {@code afterSeq}, oldest first, of the customer's
	 * order {@code orderId} (empty: of all the customer's orders). Only changes that can
	 * no longer be overtaken by one with a lower seq are returned.
	 */
	List<OrderStatusChange> changes(String customerId, Optional<String> orderId, long afterSeq, int limit);

	/** The seq of the latest change {@link #changes} can return, 0 when there is none. */
	long latest();

}
