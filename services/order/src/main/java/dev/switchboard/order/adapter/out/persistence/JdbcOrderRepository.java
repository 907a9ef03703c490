package dev.switchboard.order.adapter.out.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.switchboard.order.adapter.out.OrderMessages;
import dev.switchboard.order.application.port.out.OrderRepository;
import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.OrderStatus;
import dev.switchboard.order.domain.ShippingAddress;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
class JdbcOrderRepository implements OrderRepository {

	private final JdbcTemplate jdbc;

	JdbcOrderRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(Order order) {
		ShippingAddress a = order.shippingAddress();
		this.jdbc.update("""
				INSERT INTO orders (id, customer_id, status, total_cents, ship_country, ship_city, ship_line1,
				                    ship_postal_code, cancellation_reason, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", order.id(), order.customerId(), order.status().name(),
				order.totalCents(), a.country(), a.city(), a.line1(), a.postalCode(), order.cancellationReason(),
				Timestamp.from(order.createdAt()), Timestamp.from(order.updatedAt()));
		this.jdbc.batchUpdate("INSERT INTO order_lines (order_id, sku, quantity, unit_price_cents) VALUES (?, ?, ?, ?)",
				order.lines()
					.stream()
					.map((l) -> new Object[] { order.id(), l.sku(), l.quantity(), l.unitPriceCents() })
					.toList());
	}

	@Override
	public Optional<Order> find(String orderId) {
		List<OrderLine> lines = this.jdbc.query(
				"SELECT sku, quantity, unit_price_cents FROM order_lines WHERE order_id = ? ORDER BY sku",
				(rs, i) -> new OrderLine(rs.getString(1), rs.getInt(2), rs.getLong(3)), orderId);
		return this.jdbc.query("""
				SELECT id, customer_id, status, ship_country, ship_city, ship_line1, ship_postal_code,
				       cancellation_reason, created_at, updated_at FROM orders WHERE id = ?""",
				(rs, i) -> new Order(rs.getString(1), rs.getString(2), OrderStatus.valueOf(rs.getString(3)), lines,
						new ShippingAddress(rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)),
						rs.getString(8), rs.getTimestamp(9).toInstant(), rs.getTimestamp(10).toInstant()),
				orderId)
			.stream()
			.findFirst();
	}

	@Override
	public boolean transition(String orderId, OrderStatus from, OrderStatus to, String cancellationReason, Instant at) {
		return this.jdbc.update("""
				UPDATE orders SET status = ?, cancellation_reason = coalesce(?, cancellation_reason), updated_at = ?
				WHERE id = ? AND status = ?""", to.name(), cancellationReason, Timestamp.from(at), orderId,
				from.name()) == 1;
	}

	@Override
	public void rememberKey(String key, String fingerprint, Order response) {
		this.jdbc.update("INSERT INTO idempotency_keys (key, fingerprint, order_id, response) VALUES (?, ?, ?, ?)", key,
				fingerprint, response.id(), OrderMessages.toProto(response).toByteArray());
	}

	@Override
	public Optional<KeyedResponse> findKey(String key) {
		return this.jdbc.query("SELECT fingerprint, response FROM idempotency_keys WHERE key = ?", (rs, i) -> {
			try {
				return new KeyedResponse(rs.getString(1),
						OrderMessages.fromProto(dev.switchboard.contracts.order.v1.Order.parseFrom(rs.getBytes(2))));
			}
			catch (InvalidProtocolBufferException ex) {
				throw new IllegalStateException("Stored response for key " + key + " is unreadable", ex);
			}
		}, key).stream().findFirst();
	}

}
