package dev.switchboard.platform.internal.outbox;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.google.protobuf.Message;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.internal.messaging.SchemaRevision;
import dev.switchboard.platform.internal.tracing.MessageTracing;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class JdbcOutbox implements Outbox {

	private final JdbcTemplate jdbc;

	private final OutboxRelay relay;

	private final MessageTracing tracing;

	JdbcOutbox(JdbcTemplate jdbc, OutboxRelay relay, MessageTracing tracing) {
		this.jdbc = jdbc;
		this.relay = relay;
		this.tracing = tracing;
	}

	@Override
	public String add(String topic, String key, Message event) {
		requireTransaction();
		UUID id = UUID.randomUUID();
		this.jdbc.update(
				"INSERT INTO platform.outbox (id, topic, record_key, type, payload, dataschema, traceparent)"
						+ " VALUES (?, ?, ?, ?, ?, ?, ?)",
				id, topic, key, event.getDescriptorForType().getFullName(), event.toByteArray(),
				SchemaRevision.of(event.getDescriptorForType()).uri(), this.tracing.currentTraceparent());
		wakeRelayAfterCommit();
		return id.toString();
	}

	@Override
	public String enqueue(QueueSpec queue, String subject, Message command, int priority, Duration timeToLive) {
		requireTransaction();
		if (priority < 0 || priority >= queue.priorities()) {
			throw new IllegalArgumentException(
					"Queue " + queue.name() + " has priorities 0 to " + (queue.priorities() - 1) + ", not " + priority);
		}
		Timestamp expiresAt = (timeToLive != null) ? Timestamp.from(Instant.now().plus(timeToLive)) : null;
		UUID id = UUID.randomUUID();
		this.jdbc.update(
				"INSERT INTO platform.outbox (id, kind, topic, record_key, type, payload, priority, expires_at, dataschema,"
						+ " traceparent) VALUES (?, 'queue', ?, ?, ?, ?, ?, ?, ?, ?)",
				id, queue.name(), subject, command.getDescriptorForType().getFullName(), command.toByteArray(),
				priority, expiresAt, SchemaRevision.of(command.getDescriptorForType()).uri(),
				this.tracing.currentTraceparent());
		wakeRelayAfterCommit();
		return id.toString();
	}

	private static void requireTransaction() {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException(
					"The outbox must be written inside the transaction that changes the state it announces");
		}
	}

	/**
	 * Once a transaction: wakes this instance's relay after the commit, and, when another
	 * instance holds the relay lock, has the commit notify that one through PostgreSQL
	 * (nothing is sent if the transaction rolls back).
	 */
	private void wakeRelayAfterCommit() {
		// Synchronizations belong to one transaction (a nested new one gets its own).
		if (TransactionSynchronizationManager.getSynchronizations().stream().anyMatch(WakeRelay.class::isInstance)) {
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new WakeRelay());
		if (!this.relay.holdsLock()) {
			this.jdbc.execute("SELECT pg_notify('" + OutboxRelay.CHANNEL + "', '')");
		}
	}

	/**
	 * Wakes this instance's relay once the transaction that wrote to the outbox
	 * committed.
	 */
	private final class WakeRelay implements TransactionSynchronization {

		@Override
		public void afterCommit() {
			JdbcOutbox.this.relay.wakeUp();
		}

	}

}
