package dev.switchboard.platform.messaging;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Remembers which messages a consumer has applied. Call inside the transaction of the
 * effect: the insert and the effect commit or roll back together.
 */
public final class Inbox {

	private final JdbcTemplate jdbc;

	Inbox(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Records the message; {@code false} when this consumer has applied it before. */
	public boolean firstDelivery(String consumer, String messageId) {
		return this.jdbc.update(
				"INSERT INTO platform.inbox (consumer, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING", consumer,
				messageId) == 1;
	}

	/** Forgets every message of a consumer, for a replay from the start of its topics. */
	public void forget(String consumer) {
		this.jdbc.update("DELETE FROM platform.inbox WHERE consumer = ?", consumer);
	}

}
