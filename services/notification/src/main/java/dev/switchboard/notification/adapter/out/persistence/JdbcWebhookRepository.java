package dev.switchboard.notification.adapter.out.persistence;

import java.net.URI;
import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.switchboard.notification.application.port.out.WebhookRepository;
import dev.switchboard.notification.domain.Webhook;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

@Repository
class JdbcWebhookRepository implements WebhookRepository {

	private static final RowMapper<Webhook> WEBHOOK = (rs, i) -> new Webhook(rs.getString("id"),
			rs.getString("customer_id"), URI.create(rs.getString("url")), events(rs.getArray("events")),
			rs.getString("secret"));

	private final JdbcTemplate jdbc;

	JdbcWebhookRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	private static List<String> events(Array array) throws SQLException {
		return Arrays.asList((String[]) array.getArray());
	}

	@Override
	public void insert(Webhook webhook) {
		this.jdbc.update("INSERT INTO webhooks (id, customer_id, url, events, secret) VALUES (?, ?, ?, ?, ?)",
				webhook.id(), webhook.customerId(), webhook.url().toString(), webhook.events().toArray(String[]::new),
				webhook.secret());
	}

	@Override
	public boolean delete(String customerId, String webhookId) {
		return this.jdbc.update(
				"UPDATE webhooks SET deleted_at = now() WHERE id = ? AND customer_id = ? AND deleted_at IS NULL",
				webhookId, customerId) == 1;
	}

	@Override
	public Optional<Webhook> findLive(String webhookId) {
		return this.jdbc
			.query("SELECT id, customer_id, url, events, secret FROM webhooks WHERE id = ? AND deleted_at IS NULL",
					WEBHOOK, webhookId)
			.stream()
			.findFirst();
	}

	@Override
	public List<Webhook> findByCustomer(String customerId) {
		return this.jdbc.query("""
				SELECT id, customer_id, url, events, secret FROM webhooks
				WHERE customer_id = ? AND deleted_at IS NULL ORDER BY created_at, id""", WEBHOOK, customerId);
	}

}
