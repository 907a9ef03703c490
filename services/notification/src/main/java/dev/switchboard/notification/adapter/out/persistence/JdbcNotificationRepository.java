package dev.switchboard.notification.adapter.out.persistence;

import java.util.Collection;
import java.util.List;

import dev.switchboard.notification.application.port.out.NotificationRepository;
import dev.switchboard.notification.domain.Notification;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

@Repository
class JdbcNotificationRepository implements NotificationRepository {

	private static final RowMapper<Notification> NOTIFICATION = (rs, i) -> new Notification(rs.getString("id"),
			rs.getString("order_id"), rs.getString("kind"), rs.getString("recipient"), rs.getString("subject"),
			rs.getString("body"), rs.getTimestamp("sent_at").toInstant());

	private final JdbcTemplate jdbc;

	JdbcNotificationRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean addIfAbsent(String jobId, Notification n) {
		return this.jdbc.update("""
				INSERT INTO notifications (id, event_id, order_id, kind, recipient, subject, body)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""", n.id(), jobId, n.orderId(), n.kind(),
				n.recipient(), n.subject(), n.body()) == 1;
	}

	@Override
	public List<Notification> findByOrder(String orderId) {
		return this.jdbc.query("""
				SELECT id, order_id, kind, recipient, subject, body, sent_at FROM notifications
				WHERE order_id = ? ORDER BY sent_at, kind""", NOTIFICATION, orderId);
	}

	@Override
	public List<Notification> findByOrders(Collection<String> orderIds) {
		return this.jdbc.query("""
				SELECT id, order_id, kind, recipient, subject, body, sent_at FROM notifications
				WHERE order_id = ANY (?) ORDER BY order_id, sent_at, kind""", NOTIFICATION,
				(Object) orderIds.toArray(String[]::new));
	}

	@Override
	public List<Notification> page(String afterId, int limit) {
		return this.jdbc.query("""
				SELECT id, order_id, kind, recipient, subject, body, sent_at FROM notifications
				WHERE id > ? ORDER BY id LIMIT ?""", NOTIFICATION, afterId, limit);
	}

}
