package dev.switchboard.order.application.port.in;

import java.util.Optional;

import dev.switchboard.order.domain.Order;

public interface FindOrderUseCase {

	Optional<Order> find(String orderId);

}
