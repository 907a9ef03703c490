package dev.switchboard.shipping.adapter.in.web;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal, read-only list of shipment decisions, for operators and invariant checks.
 */
@RestController
class ShipmentsController {

	private final JdbcTemplate jdbc;

	ShipmentsController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/internal/shipments")
	List<Map<String, Object>> shipments() {
		return this.jdbc.queryForList(
				"SELECT order_id AS \"orderId\", shipment_id AS \"shipmentId\", status, country, reason FROM shipments ORDER BY created_at");
	}

}
