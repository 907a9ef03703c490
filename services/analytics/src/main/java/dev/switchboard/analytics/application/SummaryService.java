package dev.switchboard.analytics.application;

import dev.switchboard.analytics.domain.OrderSummary;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the order summary. Each update runs in the consumer's transaction with its inbox
 * entry, so a redelivered event is not counted twice.
 */
@Service
@Transactional
public class SummaryService {

	private final JdbcTemplate jdbc;

	SummaryService(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	public void orderCreated() {
		this.jdbc.update("UPDATE order_summary SET orders_created = orders_created + 1 WHERE id = 1");
	}

	public void orderCompleted(long totalCents) {
		this.jdbc.update(
				"UPDATE order_summary SET orders_completed = orders_completed + 1, revenue_cents = revenue_cents + ? WHERE id = 1",
				totalCents);
	}

	public void orderCancelled() {
		this.jdbc.update("UPDATE order_summary SET orders_cancelled = orders_cancelled + 1 WHERE id = 1");
	}

	public void reset() {
		this.jdbc.update("""
				UPDATE order_summary SET orders_created = 0, orders_completed = 0, orders_cancelled = 0,
				revenue_cents = 0 WHERE id = 1""");
	}

	@Transactional(readOnly = true)
	public OrderSummary summary() {
		return this.jdbc.queryForObject(
				"SELECT orders_created, orders_completed, orders_cancelled, revenue_cents FROM order_summary WHERE id = 1",
				(rs, i) -> new OrderSummary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
	}

}
