package dev.switchboard.order.application;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

	@Override
	public List<Order> findAll(List<String> orderIds, String customerId) {
		Map<String, Order> found = new HashMap<>();
		this.orders.findAll(new LinkedHashSet<>(orderIds))
			.stream()
			.filter((order) -> order.customerId().equals(customerId))
			.forEach((order) -> found.put(order.id(), order));
		return orderIds.stream().distinct().map(found::get).filter(Objects::nonNull).toList();
	}

}
