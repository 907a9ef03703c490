package dev.switchboard.inventory.domain;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an order asks inventory to set aside, and which attempt of the order service asks
 * (empty when unknown). Lines of the same SKU are merged and lines are kept in SKU order,
 * so that concurrent reservations lock stock rows in the same order and cannot deadlock.
 */
public record ReservationRequest(String orderId, List<StockLine> lines, String attemptId) {

	/** The most lines one reservation may hold (an order's, by the public contract). */
	public static final int MAX_LINES = 50;

	/**
	 * The longest order id (order ids are UUIDs; this leaves room for other callers'
	 * ids).
	 */
	public static final int MAX_ORDER_ID_LENGTH = 64;

	public ReservationRequest {
		if (orderId == null || orderId.isBlank() || orderId.length() > MAX_ORDER_ID_LENGTH) {
			throw new InvalidReservationException(
					"orderId must be 1 to " + MAX_ORDER_ID_LENGTH + " characters, not blank");
		}
		if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
			throw new InvalidReservationException("a reservation needs 1 to " + MAX_LINES + " lines");
		}
		Map<String, Integer> bySku = new TreeMap<>();
		for (StockLine line : lines) {
			bySku.merge(line.sku(), line.quantity(), Math::addExact);
		}
		lines = bySku.entrySet().stream().map((e) -> new StockLine(e.getKey(), e.getValue())).toList();
		attemptId = (attemptId != null) ? attemptId : "";
		if (attemptId.length() > MAX_ORDER_ID_LENGTH) {
			throw new InvalidReservationException("attemptId must be at most " + MAX_ORDER_ID_LENGTH + " characters");
		}
	}

	/** A request of no particular attempt: a released reservation stays released. */
	public ReservationRequest(String orderId, List<StockLine> lines) {
		this(orderId, lines, "");
	}

}
