package dev.switchboard.analytics.adapter.out.persistence;

import dev.switchboard.analytics.application.port.out.SummaryRepository;
import dev.switchboard.analytics.domain.OrderSummary;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
class JdbcSummaryRepository implements SummaryRepository {

	private final JdbcTemplate jdbc;

	JdbcSummaryRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void add(long created, long completed, long cancelled, long revenueCents) {
		this.jdbc.update("""
				UPDATE order_summary SET orders_created = orders_created + ?, orders_completed = orders_completed + ?,
				orders_cancelled = orders_cancelled + ?, revenue_cents = revenue_cents + ? WHERE id = 1""", created,
				completed, cancelled, revenueCents);
	}

	@Override
	public void reset() {
		this.jdbc.update("""
				UPDATE order_summary SET orders_created = 0, orders_completed = 0, orders_cancelled = 0,
				revenue_cents = 0 WHERE id = 1""");
	}

	@Override
	public OrderSummary get() {
		return this.jdbc.queryForObject(
				"SELECT orders_created, orders_completed, orders_cancelled, revenue_cents FROM order_summary WHERE id = 1",
				(rs, i) -> new OrderSummary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
	}

}
