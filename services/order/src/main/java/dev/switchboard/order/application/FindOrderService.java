package dev.switchboard.order.application;

import java.util.Optional;

import dev.switchboard.order.application.port.in.FindOrderUseCase;
import dev.switchboard.order.application.port.out.OrderRepository;
import dev.switchboard.order.domain.Order;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional(readOnly = true)
class FindOrderService implements FindOrderUseCase {

	private final OrderRepository orders;

	FindOrderService(OrderRepository orders) {
		this.orders = orders;
	}

	@Override
	public Optional<Order> find(String orderId, String customerId) {
		return this.orders.find(orderId).filter((order) -> order.customerId().equals(customerId));
	}

}
