package dev.switchboard.shipping.adapter.in.web;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal, read-only list of shipment decisions, for operators and invariant checks, page
 * by page in order id order ({@code ?after=ORDER_ID&limit=N}).
 */
@RestController
class ShipmentsController {

	private final JdbcTemplate jdbc;

	ShipmentsController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/internal/shipments")
	List<Map<String, Object>> shipments(@RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.jdbc.queryForList("""
				SELECT order_id AS "orderId", shipment_id AS "shipmentId", status, country, reason FROM shipments
				WHERE order_id > ? ORDER BY order_id LIMIT ?""", after, Math.clamp(limit, 1, 10_000));
	}

}
