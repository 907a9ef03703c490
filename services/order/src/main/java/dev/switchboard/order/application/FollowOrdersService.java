package dev.switchboard.order.application;

import java.util.List;
import java.util.Optional;

import dev.switchboard.order.application.port.in.FollowOrdersUseCase;
import dev.switchboard.order.application.port.out.OrderStatusChanges;
import dev.switchboard.order.domain.OrderStatusChange;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional(readOnly = true)
class FollowOrdersService implements FollowOrdersUseCase {

	private final OrderStatusChanges changes;

	FollowOrdersService(OrderStatusChanges changes) {
		this.changes = changes;
	}

	@Override
	public List<OrderStatusChange> changes(String customerId, Optional<String> orderId, long afterSeq, int limit) {
		return this.changes.after(customerId, orderId, afterSeq, Math.clamp(limit, 1, 1000));
	}

	@Override
	public long latest() {
		return this.changes.latest();
	}

}
