package dev.switchboard.order.adapter.out.persistence;

import java.util.List;
import java.util.Optional;

import dev.switchboard.order.application.port.out.OrderStatusChanges;
import dev.switchboard.order.domain.OrderStatus;
import dev.switchboard.order.domain.OrderStatusChange;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The {@code order_status_changes} table (migration V7), read only up to the horizon of
 * transactions still running: {@code tx < pg_snapshot_xmin(pg_current_snapshot())} leaves
 * out every change whose transaction had not ended when the oldest running one began, so
 * a reader that moves past a seq never finds a lower one committed later.
 */
@Repository
class JdbcOrderStatusChanges implements OrderStatusChanges {

	private static final String SETTLED = "tx < pg_snapshot_xmin(pg_current_snapshot())";

	private static final RowMapper<OrderStatusChange> CHANGE = (rs, i) -> new OrderStatusChange(rs.getLong("seq"),
			rs.getString("order_id"), OrderStatus.valueOf(rs.getString("status")), rs.getString("reason"),
			rs.getTimestamp("at").toInstant());

	private final JdbcTemplate jdbc;

	JdbcOrderStatusChanges(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<OrderStatusChange> after(String customerId, Optional<String> orderId, long afterSeq, int limit) {
		if (orderId.isPresent()) {
			return this.jdbc.query("SELECT seq, order_id, status, reason, at FROM order_status_changes "
					+ "WHERE order_id = ? AND customer_id = ? AND seq > ? AND " + SETTLED + " ORDER BY seq LIMIT ?",
					CHANGE, orderId.get(), customerId, afterSeq, limit);
		}
		return this.jdbc.query(
				"SELECT seq, order_id, status, reason, at FROM order_status_changes "
						+ "WHERE customer_id = ? AND seq > ? AND " + SETTLED + " ORDER BY seq LIMIT ?",
				CHANGE, customerId, afterSeq, limit);
	}

	@Override
	public long latest() {
		Long latest = this.jdbc.queryForObject(
				"SELECT max(seq) FROM order_status_changes WHERE seq > (SELECT coalesce(max(seq), 0) - 10000 "
						+ "FROM order_status_changes) AND " + SETTLED,
				Long.class);
		return (latest != null) ? latest : 0;
	}

}
