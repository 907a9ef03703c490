package dev.switchboard.inventory.adapter.in.web;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal, read-only view of every stock counter and reservation, for operators and for
 * the invariant checks (initial = available + reserved + shipped). Not routed by the
 * gateway.
 */
@RestController
class StockController {

	private final JdbcTemplate jdbc;

	StockController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/internal/stock")
	List<StockLevel> stock() {
		return this.jdbc.query(
				"SELECT sku, initial_stock, available, reserved, shipped FROM products ORDER BY sku",
				(rs, i) -> new StockLevel(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)));
	}

	/** Every reservation with its state, for the invariant checks. */
	@GetMapping("/internal/reservations")
	List<ReservationState> reservations() {
		return this.jdbc.query("SELECT order_id, state FROM reservations ORDER BY created_at",
				(rs, i) -> new ReservationState(rs.getString(1), rs.getString(2)));
	}

	record ReservationState(String orderId, String state) {
	}

	record StockLevel(String sku, int initial, int available, int reserved, int shipped) {
	}

}
