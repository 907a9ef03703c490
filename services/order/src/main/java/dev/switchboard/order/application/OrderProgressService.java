package dev.switchboard.order.application;

import java.time.Clock;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.order.application.port.in.FindOrderUseCase;
import dev.switchboard.order.application.port.in.TrackOrderProgressUseCase;
import dev.switchboard.order.application.port.out.OrderEventPublisher;
import dev.switchboard.order.application.port.out.OrderRepository;
import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderStatus;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies payment and shipping outcomes to orders and announces each resulting step; a
 * cancellation's event makes payment refund and inventory release what they hold.
 */
@Service
@Transactional
class OrderProgressService implements TrackOrderProgressUseCase, FindOrderUseCase {

	private static final Logger log = LoggerFactory.getLogger(OrderProgressService.class);

	private final OrderRepository orders;

	private final OrderEventPublisher events;

	private final Clock clock;

	OrderProgressService(OrderRepository orders, OrderEventPublisher events, Clock clock) {
		this.orders = orders;
		this.events = events;
		this.clock = clock;
	}

	@Override
	public void paymentApproved(String orderId, String paymentId) {
		move(orderId, OrderStatus.PENDING, OrderStatus.PAID, null).ifPresent((o) -> this.events.paid(o, paymentId));
	}

	@Override
	public void paymentDeclined(String orderId, String reason) {
		move(orderId, OrderStatus.PENDING, OrderStatus.CANCELLED, "payment declined: " + reason)
			.ifPresent(this.events::cancelled);
	}

	@Override
	public void shipmentCreated(String orderId, String shipmentId) {
		move(orderId, OrderStatus.PAID, OrderStatus.COMPLETED, null)
			.ifPresent((o) -> this.events.completed(o, shipmentId));
	}

	@Override
	public void shipmentRejected(String orderId, String reason) {
		move(orderId, OrderStatus.PAID, OrderStatus.CANCELLED, "shipping rejected: " + reason)
			.ifPresent(this.events::cancelled);
	}

	private Optional<Order> move(String orderId, OrderStatus from, OrderStatus to, String reason) {
		if (!from.canMoveTo(to)) {
			throw new IllegalArgumentException(from + " cannot move to " + to);
		}
		if (this.orders.transition(orderId, from, to, reason, this.clock.instant())) {
			return this.orders.find(orderId);
		}
		log.info("Order {} is not {}; ignoring the move to {}", orderId, from, to);
		return Optional.empty();
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<Order> find(String orderId) {
		return this.orders.find(orderId);
	}

}
