package dev.switchboard.platform.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.messaging.CloudEventHeaders;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows to Kafka in insertion order and deletes them once the broker has
 * acknowledged them (acks=all, idempotent producer). Runs on one thread, woken right
 * after a transaction that wrote to the outbox commits, and polling as a backstop.
 *
 * <p>
 * Delivery is at-least-once: a crash between the broker's ack and the delete republishes
 * the rows, with the same event ids, which consumers' inboxes recognise. A transaction-
 * scoped advisory lock keeps a second instance of the same service from relaying the same
 * rows concurrently, which would reorder them.
 *
 * <p>
 * Per-key order holds because every writer of one order's events first locks that order's
 * row: a later event's sequence number is drawn only after the earlier one committed.
 */
class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final long ADVISORY_LOCK_KEY = 0x5357_4f55_5442_4f58L; // "SWOUTBOX"

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final KafkaTemplate<String, byte[]> kafka;

	private final String source;

	private final OutboxProperties properties;

	private final BlockingQueue<Boolean> wakeUps = new ArrayBlockingQueue<>(1);

	private volatile boolean running;

	private Thread thread;

	OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, KafkaTemplate<String, byte[]> kafka, String source,
			OutboxProperties properties) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.kafka = kafka;
		this.source = source;
		this.properties = properties;
	}

	void wakeUp() {
		this.wakeUps.offer(Boolean.TRUE);
	}

	@Override
	public void start() {
		this.running = true;
		this.thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
	}

	@Override
	public void stop() {
		this.running = false;
		wakeUp();
		try {
			this.thread.join(Duration.ofSeconds(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stop after the consumers and servers that write to the outbox, so their last
		// events still go out.
		return Integer.MAX_VALUE - 100;
	}

	private void loop() {
		Duration backoff = this.properties.retryBackoff();
		while (this.running) {
			try {
				int published = relayBatch();
				backoff = this.properties.retryBackoff();
				if (published == 0) {
					this.wakeUps.poll(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.warn("Outbox relay failed, keeping rows and retrying in {}: {}", backoff, ex.toString());
				this.wakeUps.clear();
				try {
					this.wakeUps.poll(backoff.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ie) {
					Thread.currentThread().interrupt();
					return;
				}
				backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
						: backoff.multipliedBy(2);
			}
		}
	}

	/** Publishes one batch; returns how many rows went out. */
	int relayBatch() {
		Integer count = this.transactions.execute((status) -> {
			Boolean locked = this.jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class,
					ADVISORY_LOCK_KEY);
			if (!Boolean.TRUE.equals(locked)) {
				return 0;
			}
			List<Row> rows = this.jdbc.query(
					"SELECT seq, id, topic, record_key, type, payload, created_at FROM platform.outbox ORDER BY seq LIMIT ?",
					(rs, i) -> new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
							rs.getString(5), rs.getBytes(6), rs.getTimestamp(7).toInstant()),
					this.properties.batchSize());
			if (rows.isEmpty()) {
				return 0;
			}
			List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
			for (Row row : rows) {
				acks.add(this.kafka.send(toRecord(row)));
			}
			CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
				.orTimeout(this.properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.join();
			// Exactly the rows published: sequence numbers are drawn before commit, so a row
			// with a lower seq than these can still become visible later and must stay.
			Long[] published = rows.stream().map(Row::seq).toArray(Long[]::new);
			this.jdbc.update("DELETE FROM platform.outbox WHERE seq = ANY (?)", (Object) published);
			return rows.size();
		});
		return (count != null) ? count : 0;
	}

	private ProducerRecord<String, byte[]> toRecord(Row row) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
		CloudEventHeaders.write(record.headers(), row.id().toString(), row.type(), this.source, row.createdAt(),
				row.key());
		return record;
	}

	private record Row(long seq, UUID id, String topic, String key, String type, byte[] payload, Instant createdAt) {
	}

}
