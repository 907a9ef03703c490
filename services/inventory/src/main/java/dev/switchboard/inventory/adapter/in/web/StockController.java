package dev.switchboard.inventory.adapter.in.web;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal, read-only view of every stock counter, for operators and for the invariant
 * checks (initial = available + reserved + shipped). Not routed by the gateway.
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

	record StockLevel(String sku, int initial, int available, int reserved, int shipped) {
	}

}
