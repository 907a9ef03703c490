package dev.switchboard.order.application.port.out;

import java.time.Instant;
import java.util.Optional;

import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderStatus;

/**
 * Orders as stored. Every method runs in the caller's transaction.
 */
public interface OrderRepository {

	/** @throws org.springframework.dao.DuplicateKeyException when the id exists */
	void insert(Order order);

	Optional<Order> find(String orderId);

	/**
	 * Moves an order from {@code from} to {@code to}, locking its row; {@code false} when it
	 * was not in {@code from}.
	 */
	boolean transition(String orderId, OrderStatus from, OrderStatus to, String cancellationReason, Instant at);

	void rememberKey(String key, String fingerprint, Order response);

	Optional<KeyedResponse> findKey(String key);

	/** What was answered to the first request with an idempotency key. */
	record KeyedResponse(String fingerprint, Order response) {
	}

}
