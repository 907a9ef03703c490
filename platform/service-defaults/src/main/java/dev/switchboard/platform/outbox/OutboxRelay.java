package dev.switchboard.platform.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.platform.queue.QueueFullException;
import dev.switchboard.platform.queue.QueueMessage;
import dev.switchboard.platform.queue.WorkQueues;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows to Kafka topics and work queues in insertion order and deletes them
 * once the broker has acknowledged them (acks=all, idempotent producer; publisher
 * confirms). A message a full queue refuses stays until there is room: backpressure
 * reaches the outbox, and nothing is lost. Runs on one thread, woken right
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

	private final ObjectProvider<WorkQueues> workQueues;

	private final String source;

	private final OutboxProperties properties;

	private final BlockingQueue<Boolean> wakeUps = new ArrayBlockingQueue<>(1);

	private volatile boolean running;

	/** Whether the last batch had messages a full queue refused; only the relay thread writes it. */
	private boolean refusing;

	private Thread thread;

	OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, KafkaTemplate<String, byte[]> kafka,
			ObjectProvider<WorkQueues> workQueues, String source, OutboxProperties properties) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.kafka = kafka;
		this.workQueues = workQueues;
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
					"SELECT seq, id, kind, topic, record_key, type, payload, created_at, priority, expires_at, dataschema,"
							+ " traceparent FROM platform.outbox ORDER BY seq LIMIT ?",
					(rs, i) -> new Row(rs.getLong(1), rs.getObject(2, UUID.class), "queue".equals(rs.getString(3)),
							rs.getString(4), rs.getString(5), rs.getString(6), rs.getBytes(7),
							rs.getTimestamp(8).toInstant(), rs.getInt(9),
							(rs.getTimestamp(10) != null) ? rs.getTimestamp(10).toInstant() : null, rs.getString(11),
							rs.getString(12)),
					this.properties.batchSize());
			if (rows.isEmpty()) {
				return 0;
			}
			List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
			for (Row row : rows) {
				sends.add(row.queue() ? sendToQueue(row) : this.kafka.send(toRecord(row)));
			}
			CompletableFuture.allOf(sends.stream().map((send) -> send.handle((result, ex) -> null)).toArray(CompletableFuture[]::new))
				.orTimeout(this.properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.join();
			List<Long> published = new ArrayList<>();
			List<Row> refused = new ArrayList<>();
			for (int i = 0; i < rows.size(); i++) {
				Throwable failure = failureOf(sends.get(i));
				if (failure == null) {
					published.add(rows.get(i).seq());
				}
				else if (failure instanceof QueueFullException) {
					refused.add(rows.get(i));
				}
				else {
					// Keep every row: a topic's later records must not overtake an earlier
					// one that failed. What did go out goes again; consumers skip repeats.
					throw new IllegalStateException("Could not publish outbox row " + rows.get(i).seq() + " to "
							+ rows.get(i).topic(), failure);
				}
			}
			if (!refused.isEmpty() && !this.refusing) {
				log.info("Full queue {}: keeping {} messages in the outbox until it has room",
						refused.stream().map(Row::topic).distinct().toList(), refused.size());
			}
			else if (refused.isEmpty() && this.refusing) {
				log.info("Queues take messages again; the outbox has caught up with its refused messages");
			}
			this.refusing = !refused.isEmpty();
			// Exactly the rows published: sequence numbers are drawn before commit, so a row
			// with a lower seq than these can still become visible later and must stay.
			this.jdbc.update("DELETE FROM platform.outbox WHERE seq = ANY (?)", (Object) published.toArray(Long[]::new));
			return published.size();
		});
		return (count != null) ? count : 0;
	}

	private static Throwable failureOf(CompletableFuture<?> send) {
		if (!send.isCompletedExceptionally()) {
			return null;
		}
		Throwable failure = send.exceptionNow();
		while (failure instanceof CompletionException && failure.getCause() != null) {
			failure = failure.getCause();
		}
		return failure;
	}

	private CompletableFuture<Void> sendToQueue(Row row) {
		WorkQueues queues = this.workQueues.getIfAvailable();
		if (queues == null) {
			return CompletableFuture.failedFuture(
					new IllegalStateException("The outbox holds a message for queue " + row.topic() + " but this service has no work queues"));
		}
		try {
			return queues.send(queues.spec(row.topic()), new QueueMessage(row.id().toString(), row.type(), row.key(),
					row.createdAt(), row.payload(), row.priority(), row.expiresAt(), row.dataschema(), row.traceparent()));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private ProducerRecord<String, byte[]> toRecord(Row row) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
		CloudEventHeaders.write(record.headers(), row.id().toString(), row.type(), this.source, row.createdAt(),
				row.key(), row.dataschema(), row.traceparent());
		return record;
	}

	private record Row(long seq, UUID id, boolean queue, String topic, String key, String type, byte[] payload,
			Instant createdAt, int priority, Instant expiresAt, String dataschema, String traceparent) {
	}

}
