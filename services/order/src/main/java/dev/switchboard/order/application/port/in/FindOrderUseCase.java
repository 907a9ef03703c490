package dev.switchboard.order.application.port.in;

import java.util.List;
import java.util.Optional;

import dev.switchboard.order.domain.Order;

public interface FindOrderUseCase {

	/** The order, if there is one with this id and it is this customer's. */
	Optional<Order> find(String orderId, String customerId);

	/**
	 * This customer's orders of these ids, in the order of the ids (each once); ids of
	 * orders that do not exist or are another's are left out.
	 */
	List<Order> findAll(List<String> orderIds, String customerId);

}
