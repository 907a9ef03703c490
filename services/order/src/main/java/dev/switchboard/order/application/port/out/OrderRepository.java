package dev.switchboard.order.application.port.out;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderStatus;

/**
 * Orders as stored. Every method runs in the caller's transaction.
 */
public interface OrderRepository {

	/**
	 * Stores a new order.
	 * @throws org.springframework.dao.DuplicateKeyException when the id exists
	 */
	void insert(Order order);

	Optional<Order> find(String orderId);

	/** The orders of these ids that exist, in one read. */
	List<Order> findAll(Collection<String> orderIds);

	/**
	 * Moves an order from {@code from} to {@code to}, locking its row; {@code false} when
	 * it was not in {@code from}.
	 */
	boolean transition(String orderId, OrderStatus from, OrderStatus to, String cancellationReason, Instant at);

	/** Remembers which order the first request with an idempotency key placed. */
	void rememberKey(String key, String fingerprint, String orderId);

	Optional<KeyedOrder> findKey(String key);

	/**
	 * The secret keyed orders' ids are derived with
	 * ({@link dev.switchboard.order.domain.OrderIds}), made once with the database.
	 */
	byte[] orderIdSecret();

	/**
	 * The first request with an idempotency key: its fingerprint, and the order it placed
	 * (answered again, {@link Order#asPlaced() as placed}, to a repeat).
	 */
	record KeyedOrder(String fingerprint, String orderId) {
	}

}
