package dev.switchboard.inventory.domain;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an order asks inventory to set aside. Lines of the same SKU are merged and lines are
 * kept in SKU order, so that concurrent reservations lock stock rows in the same order and
 * cannot deadlock.
 */
public record ReservationRequest(String orderId, List<StockLine> lines) {

	public ReservationRequest {
		if (orderId == null || orderId.isBlank()) {
			throw new IllegalArgumentException("orderId must not be blank");
		}
		if (lines == null || lines.isEmpty()) {
			throw new IllegalArgumentException("a reservation needs at least one line");
		}
		Map<String, Integer> bySku = new TreeMap<>();
		for (StockLine line : lines) {
			bySku.merge(line.sku(), line.quantity(), Math::addExact);
		}
		lines = bySku.entrySet().stream().map((e) -> new StockLine(e.getKey(), e.getValue())).toList();
	}

}
