package dev.switchboard.platform.internal.messaging;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Remembers which messages a consumer has applied. Call inside the transaction of the
 * effect: the insert and the effect commit or roll back together.
 */
public final class Inbox {

	private final JdbcTemplate jdbc;

	/** The consumers of this service, to look messages up by the inbox's primary key. */
	private final Set<String> consumers = ConcurrentHashMap.newKeySet();

	Inbox(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Declares a consumer of this service, whose messages {@link #appliedAt} looks for.
	 */
	public void register(String consumer) {
		this.consumers.add(consumer);
	}

	/**
	 * When each of {@code messageIds} that one of this service's consumers applied was
	 * applied.
	 */
	public Map<String, Instant> appliedAt(List<String> messageIds) {
		Map<String, Instant> applied = new HashMap<>();
		if (messageIds.isEmpty() || this.consumers.isEmpty()) {
			return applied;
		}
		this.jdbc.query("""
				SELECT message_id, min(processed_at) FROM platform.inbox
				WHERE consumer = ANY (?) AND message_id = ANY (?) GROUP BY message_id""", (rs) -> {
			applied.put(rs.getString(1), rs.getTimestamp(2).toInstant());
		}, this.consumers.toArray(String[]::new), messageIds.toArray(String[]::new));
		return applied;
	}

	/** Records the message; {@code false} when this consumer has applied it before. */
	public boolean firstDelivery(String consumer, String messageId) {
		return this.jdbc.update(
				"INSERT INTO platform.inbox (consumer, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING", consumer,
				messageId) == 1;
	}

	/** Whether the database answers now. */
	public boolean reachable() {
		try {
			this.jdbc.queryForObject("SELECT 1", Integer.class);
			return true;
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

	/** Forgets every message of a consumer, for a replay from the start of its topics. */
	public void forget(String consumer) {
		this.jdbc.update("DELETE FROM platform.inbox WHERE consumer = ?", consumer);
	}

}
