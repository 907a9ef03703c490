package dev.switchboard.order.application.port.in;

import java.util.Optional;

import dev.switchboard.order.domain.Order;

public interface FindOrderUseCase {

	/** The order, if there is one with this id and it is this customer's. */
	Optional<Order> find(String orderId, String customerId);

}
