package dev.switchboard.order.adapter.out.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.switchboard.order.application.port.out.OrderRepository;
import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.OrderStatus;
import dev.switchboard.order.domain.ShippingAddress;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
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
		return findAll(List.of(orderId)).stream().findFirst();
	}

	@Override
	public List<Order> findAll(Collection<String> orderIds) {
		if (orderIds.isEmpty()) {
			return List.of();
		}
		// One statement for the orders and their lines: a row per line, the order's
		// columns repeated on each (the outer join keeps an order without lines).
		ResultSetExtractor<List<Order>> orders = (rs) -> {
			List<Order> found = new ArrayList<>();
			boolean more = rs.next();
			while (more) {
				String id = rs.getString(1);
				String customerId = rs.getString(2);
				OrderStatus status = OrderStatus.valueOf(rs.getString(3));
				ShippingAddress address = new ShippingAddress(rs.getString(4), rs.getString(5), rs.getString(6),
						rs.getString(7));
				String cancellationReason = rs.getString(8);
				Instant createdAt = rs.getTimestamp(9).toInstant();
				Instant updatedAt = rs.getTimestamp(10).toInstant();
				List<OrderLine> lines = new ArrayList<>();
				do {
					if (rs.getString(11) != null) {
						lines.add(new OrderLine(rs.getString(11), rs.getInt(12), rs.getLong(13)));
					}
					more = rs.next();
				}
				while (more && rs.getString(1).equals(id));
				found.add(new Order(id, customerId, status, lines, address, cancellationReason, createdAt, updatedAt));
			}
			return found;
		};
		return this.jdbc.query("""
				SELECT o.id, o.customer_id, o.status, o.ship_country, o.ship_city, o.ship_line1, o.ship_postal_code,
				       o.cancellation_reason, o.created_at, o.updated_at, l.sku, l.quantity, l.unit_price_cents
				FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id WHERE o.id = ANY (?) ORDER BY o.id, l.sku""",
				orders, (Object) orderIds.toArray(String[]::new));
	}

	@Override
	public boolean transition(String orderId, OrderStatus from, OrderStatus to, String cancellationReason, Instant at) {
		return this.jdbc.update("""
				UPDATE orders SET status = ?, cancellation_reason = coalesce(?, cancellation_reason), updated_at = ?
				WHERE id = ? AND status = ?""", to.name(), cancellationReason, Timestamp.from(at), orderId,
				from.name()) == 1;
	}

	@Override
	public void rememberKey(String key, String fingerprint, String orderId) {
		this.jdbc.update("INSERT INTO idempotency_keys (key, fingerprint, order_id) VALUES (?, ?, ?)", key, fingerprint,
				orderId);
	}

	@Override
	public Optional<KeyedOrder> findKey(String key) {
		return this.jdbc
			.query("SELECT fingerprint, order_id FROM idempotency_keys WHERE key = ?",
					(rs, i) -> new KeyedOrder(rs.getString(1), rs.getString(2)), key)
			.stream()
			.findFirst();
	}

	@Override
	public byte[] orderIdSecret() {
		return this.jdbc.queryForObject("SELECT secret FROM order_id_secret", String.class)
			.getBytes(StandardCharsets.US_ASCII);
	}

}
