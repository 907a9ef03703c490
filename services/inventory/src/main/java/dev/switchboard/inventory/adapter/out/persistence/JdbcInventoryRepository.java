package dev.switchboard.inventory.adapter.out.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.switchboard.inventory.application.port.out.InventoryRepository;
import dev.switchboard.inventory.domain.HeldReservation;
import dev.switchboard.inventory.domain.Product;
import dev.switchboard.inventory.domain.Reservation;
import dev.switchboard.inventory.domain.ReservationState;
import dev.switchboard.inventory.domain.ReservedLine;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

@Repository
class JdbcInventoryRepository implements InventoryRepository {

	private static final RowMapper<Product> PRODUCT = (rs, i) -> new Product(rs.getString("sku"), rs.getString("name"),
			rs.getLong("price_cents"), rs.getInt("available"));

	private final JdbcTemplate jdbc;

	JdbcInventoryRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<Product> findAllProducts() {
		return this.jdbc.query("SELECT sku, name, price_cents, available FROM products ORDER BY sku", PRODUCT);
	}

	@Override
	public Optional<Product> findProduct(String sku) {
		return this.jdbc.query("SELECT sku, name, price_cents, available FROM products WHERE sku = ?", PRODUCT, sku)
			.stream()
			.findFirst();
	}

	@Override
	public boolean createReservation(String orderId, String attempt) {
		return this.jdbc.update(
				"INSERT INTO reservations (order_id, state, attempt) VALUES (?, 'RESERVED', ?) ON CONFLICT DO NOTHING",
				orderId, nullIfEmpty(attempt)) == 1;
	}

	@Override
	public boolean createReleasedMarker(String orderId, String attempt) {
		return this.jdbc.update(
				"INSERT INTO reservations (order_id, state, attempt) VALUES (?, 'RELEASED', ?) ON CONFLICT DO NOTHING",
				orderId, nullIfEmpty(attempt)) == 1;
	}

	@Override
	public boolean reopen(String orderId, String attempt) {
		boolean reopened = this.jdbc.update("""
				UPDATE reservations SET state = 'RESERVED', attempt = ?, updated_at = now()
				WHERE order_id = ? AND state = 'RELEASED' AND attempt IS DISTINCT FROM ?""", attempt, orderId,
				attempt) == 1;
		if (reopened) {
			this.jdbc.update("DELETE FROM reservation_lines WHERE order_id = ?", orderId);
		}
		return reopened;
	}

	private static String nullIfEmpty(String attempt) {
		return (attempt == null || attempt.isEmpty()) ? null : attempt;
	}

	@Override
	public List<HeldReservation> reservedBefore(Instant before, String afterOrderId, int limit) {
		// Rare (the order service's sweep, once a minute) and the RESERVED ones are few:
		// a scan, rather than an index on state that would cost every order's allocation
		// a HOT update.
		return this.jdbc.query("""
				SELECT order_id, attempt, updated_at FROM reservations
				WHERE state = 'RESERVED' AND updated_at < ? AND order_id > ?
				ORDER BY order_id LIMIT ?""",
				(rs, i) -> new HeldReservation(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()),
				Timestamp.from(before), afterOrderId, limit);
	}

	@Override
	public Optional<Reservation> findReservation(String orderId) {
		// One statement for the reservation and its lines: a row per line, the state
		// repeated on each (the outer join keeps a release marker, which has no lines).
		ResultSetExtractor<Optional<Reservation>> reservation = (rs) -> {
			if (!rs.next()) {
				return Optional.empty();
			}
			ReservationState state = ReservationState.valueOf(rs.getString(1));
			List<ReservedLine> lines = new ArrayList<>();
			do {
				if (rs.getString(2) != null) {
					lines.add(new ReservedLine(rs.getString(2), rs.getInt(3), rs.getLong(4)));
				}
			}
			while (rs.next());
			return Optional.of(new Reservation(orderId, lines, state));
		};
		return this.jdbc.query("""
				SELECT r.state, l.sku, l.quantity, l.unit_price_cents
				FROM reservations r LEFT JOIN reservation_lines l ON l.order_id = r.order_id
				WHERE r.order_id = ? ORDER BY l.sku""", reservation, orderId);
	}

	@Override
	public OptionalLong takeStock(String sku, int quantity) {
		List<Long> price = this.jdbc.queryForList("""
				UPDATE products SET available = available - ?, reserved = reserved + ?
				WHERE sku = ? AND available >= ? RETURNING price_cents""", Long.class, quantity, quantity, sku,
				quantity);
		return price.isEmpty() ? OptionalLong.empty() : OptionalLong.of(price.getFirst());
	}

	@Override
	public void addLine(String orderId, ReservedLine line) {
		this.jdbc.update(
				"INSERT INTO reservation_lines (order_id, sku, quantity, unit_price_cents) VALUES (?, ?, ?, ?)",
				orderId, line.sku(), line.quantity(), line.unitPriceCents());
	}

	@Override
	public boolean transition(String orderId, ReservationState from, ReservationState to) {
		return this.jdbc.update(
				"UPDATE reservations SET state = ?, updated_at = now() WHERE order_id = ? AND state = ?", to.name(),
				orderId, from.name()) == 1;
	}

	@Override
	public void returnStock(String sku, int quantity) {
		this.jdbc.update("UPDATE products SET available = available + ?, reserved = reserved - ? WHERE sku = ?",
				quantity, quantity, sku);
	}

	@Override
	public void shipStock(String sku, int quantity) {
		this.jdbc.update("UPDATE products SET shipped = shipped + ?, reserved = reserved - ? WHERE sku = ?", quantity,
				quantity, sku);
	}

	@Override
	public void unshipStock(String sku, int quantity) {
		this.jdbc.update("UPDATE products SET shipped = shipped - ?, reserved = reserved + ? WHERE sku = ?", quantity,
				quantity, sku);
	}

}
