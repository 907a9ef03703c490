package dev.switchboard.inventory.adapter.in.web;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
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

	/**
	 * Stock counters by SKU, a page at a time ({@code ?after=SKU&limit=N}, at most 10
	 * 000, default 1 000).
	 */
	@GetMapping("/internal/stock")
	List<StockLevel> stock(@RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.jdbc.query(
				"SELECT sku, initial_stock, available, reserved, shipped FROM products WHERE sku > ? ORDER BY sku LIMIT ?",
				(rs, i) -> new StockLevel(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)),
				after, Math.clamp(limit, 1, 10_000));
	}

	/**
	 * Reservations with their state by order id, a page at a time
	 * ({@code ?after=ORDER_ID&limit=N}).
	 */
	@GetMapping("/internal/reservations")
	List<ReservationState> reservations(@RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.jdbc.query("SELECT order_id, state FROM reservations WHERE order_id > ? ORDER BY order_id LIMIT ?",
				(rs, i) -> new ReservationState(rs.getString(1), rs.getString(2)), after, Math.clamp(limit, 1, 10_000));
	}

	record ReservationState(String orderId, String state) {
	}

	record StockLevel(String sku, int initial, int available, int reserved, int shipped) {
	}

}
