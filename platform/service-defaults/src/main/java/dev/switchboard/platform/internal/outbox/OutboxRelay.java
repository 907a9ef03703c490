package dev.switchboard.platform.internal.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.internal.tracing.MessageTracing;
import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.platform.internal.outbox.Undeliverable.UndeliverableMessageException;
import dev.switchboard.platform.queue.QueueFullException;
import dev.switchboard.platform.queue.QueueMessage;
import dev.switchboard.platform.queue.WorkQueues;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes outbox rows to Kafka topics and work queues in insertion order and deletes
 * them once the broker has acknowledged them (acks=all, idempotent producer; publisher
 * confirms). A message a full queue refuses stays until there is room: backpressure
 * reaches the outbox, and nothing is lost; that queue's rows are left out of the reads
 * for {@link #FULL_QUEUE_RETRY} at a time, so the other topics and queues go on. A row
 * the broker refuses for good (see {@link Undeliverable}) is moved to
 * {@code platform.dead_outbox} with the reason instead of being retried forever in front
 * of every row behind it; any other failure keeps the batch for the next pass.
 *
 * <p>
 * One thread, woken right after a transaction that wrote to the outbox commits. Each
 * wake-up is one pass: read up to a batch of rows not yet published, send them, wait for
 * the acks. A pass reads again at once only when it filled its batch; a commit during a
 * pass leaves a wake-up for the next one, so no empty read follows every batch. Published
 * rows are deleted together, by one statement, once the oldest of them has waited
 * {@code deleteDelay} or a batch's worth is waiting: at a few messages a second a delete
 * per pass would be a commit, and a flush of the write-ahead log, per message. No
 * transaction is held while the broker answers: the reads and deletes are single
 * statements on the relay's own connection. Rows written by another instance of the
 * service (whose relay does not hold the lock) wake this one through PostgreSQL: that
 * instance's transaction sends a notification on {@value #CHANNEL} at its commit, which a
 * second thread of this relay listens for on a connection of its own; blocked in a read,
 * it costs nothing at rest. Polling every {@code pollInterval} is only a backstop for a
 * notification lost with a broken connection. A service that has never written to its
 * outbox (and has no rows in it) has no relay running: the thread waits for the first
 * wake-up.
 *
 * <p>
 * Delivery is at-least-once: a crash between the broker's ack and the delete republishes
 * the rows (at most {@code deleteDelay} of them), with the same event ids, which
 * consumers' inboxes recognise. A session-level advisory lock, held by the relay's
 * connection, keeps a second instance of the same service from relaying the same rows
 * concurrently, which would reorder them; if the connection breaks, the lock goes with it
 * and the relay takes it again on a new one.
 *
 * <p>
 * Per-key order holds because every writer of one order's events first locks that order's
 * row: a later event's sequence number is drawn only after the earlier one committed.
 */
class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	static final String DELAY_METER = "switchboard.outbox.publish.delay";

	private static final long ADVISORY_LOCK_KEY = 0x5357_4f55_5442_4f58L; // "SWOUTBOX"

	/**
	 * The PostgreSQL notification channel on which writers wake the relay holding the
	 * lock.
	 */
	static final String CHANNEL = "switchboard_outbox";

	/** How long the listener blocks in one read; it notices a stop within this. */
	private static final int LISTEN_READ_MILLIS = 5_000;

	/**
	 * How long the rows of a full queue are left out of the relay's reads before it tries
	 * that queue again.
	 */
	static final Duration FULL_QUEUE_RETRY = Duration.ofMillis(500);

	private static final String SELECT = "SELECT seq, id, kind, topic, record_key, type, payload, created_at, priority,"
			+ " expires_at, dataschema, traceparent FROM platform.outbox WHERE seq <> ALL (?)"
			+ " AND NOT (kind = 'queue' AND topic = ANY (?)) ORDER BY seq LIMIT ?";

	private static final String PARK = """
			WITH moved AS (DELETE FROM platform.outbox WHERE seq = ? RETURNING *)
			INSERT INTO platform.dead_outbox (seq, id, kind, topic, record_key, type, payload, created_at, priority,
			    expires_at, dataschema, traceparent, reason)
			SELECT seq, id, kind, topic, record_key, type, payload, created_at, priority, expires_at, dataschema,
			    traceparent, ? FROM moved""";

	private final DataSource dataSource;

	private final KafkaTemplate<String, byte[]> kafka;

	private final ObjectProvider<WorkQueues> workQueues;

	private final String source;

	private final OutboxProperties properties;

	private final BlockingQueue<Boolean> wakeUps = new ArrayBlockingQueue<>(1);

	private volatile boolean running;

	/**
	 * Whether the last batch had messages a full queue refused; only the relay thread
	 * writes it.
	 */
	private boolean refusing;

	/**
	 * Full queues, each with when to try it again ({@link System#nanoTime}): their rows
	 * are left out of the reads meanwhile, so that they do not fill every batch and hold
	 * back the other topics and queues. Only the relay thread uses it.
	 */
	private final Map<String, Long> fullQueues = new HashMap<>();

	/** Rows published and not deleted yet; only the relay thread uses it. */
	private final List<Long> published = new ArrayList<>();

	/** When the oldest of {@link #published} went out ({@link System#nanoTime}). */
	private long publishedSince;

	/**
	 * The relay's connection, holding the advisory lock; only the relay thread uses it.
	 */
	private Connection connection;

	private Thread thread;

	/** Whether this relay's connection holds the advisory lock, as far as it knows. */
	private volatile boolean lockHeld;

	/** Whether the listener has a connection listening on {@link #CHANNEL}. */
	private volatile boolean listening;

	/**
	 * From a row's commit (its {@code created_at}, taken in the writer's transaction) to
	 * the broker's acknowledgement of it.
	 */
	private final Timer delay;

	/** Each message's publish span, in the trace that wrote it. */
	private final MessageTracing tracing;

	OutboxRelay(DataSource dataSource, KafkaTemplate<String, byte[]> kafka, ObjectProvider<WorkQueues> workQueues,
			String source, OutboxProperties properties, MeterRegistry meters, MessageTracing tracing) {
		this.tracing = tracing;
		this.delay = Timer.builder(DELAY_METER)
			.description("From an outbox row's commit to the broker's acknowledgement of its message")
			.publishPercentileHistogram()
			.register(meters);
		this.dataSource = dataSource;
		this.kafka = kafka;
		this.workQueues = workQueues;
		this.source = source;
		this.properties = properties;
	}

	void wakeUp() {
		this.wakeUps.offer(Boolean.TRUE);
	}

	/**
	 * Whether this instance's relay holds the relay lock. A writer whose relay does not
	 * tells the one that does (see {@link #CHANNEL}).
	 */
	boolean holdsLock() {
		return this.lockHeld;
	}

	/** Whether other instances' commits can wake this relay now (for tests). */
	boolean isListening() {
		return this.listening;
	}

	@Override
	public void start() {
		this.running = true;
		this.thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
		Thread.ofPlatform().name("outbox-listen").daemon().start(this::listen);
	}

	/**
	 * Wakes the relay on every notification other instances' writers send at their
	 * commit. Every instance listens, so whichever takes the lock next hears them too;
	 * the others find the lock taken, which is one statement.
	 */
	private void listen() {
		Duration backoff = this.properties.retryBackoff();
		while (this.running) {
			try (Connection c = this.dataSource.getConnection()) {
				c.setAutoCommit(true);
				try (Statement listen = c.createStatement()) {
					listen.execute("LISTEN " + CHANNEL);
				}
				PGConnection notifications = c.unwrap(PGConnection.class);
				this.listening = true;
				backoff = this.properties.retryBackoff();
				while (this.running) {
					PGNotification[] received = notifications.getNotifications(LISTEN_READ_MILLIS);
					if (received != null && received.length > 0) {
						wakeUp();
					}
				}
				try (Statement unlisten = c.createStatement()) {
					// The connection goes back to the pool.
					unlisten.execute("UNLISTEN *");
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!this.running) {
					return;
				}
				// Meanwhile the poll is the backstop; a wake-up now finds what was
				// missed.
				log.warn("Outbox relay cannot listen for other instances' rows, trying again in {}: {}", backoff,
						ex.toString());
				wakeUp();
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException interrupted) {
					return;
				}
				backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
						: backoff.multipliedBy(2);
			}
			finally {
				this.listening = false;
			}
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.thread == null) {
			// Never started: only passes run by hand (tests) may have taken a connection.
			deletePublishedQuietly();
			closeConnection();
			return;
		}
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
		try {
			awaitFirstMessage();
			Duration backoff = this.properties.retryBackoff();
			boolean more = true;
			while (this.running) {
				try {
					if (!more) {
						this.wakeUps.poll(untilNextLook().toMillis(), TimeUnit.MILLISECONDS);
					}
					more = relayPass();
					backoff = this.properties.retryBackoff();
				}
				catch (SQLException | RuntimeException ex) {
					log.warn("Outbox relay failed, keeping rows and retrying in {}: {}", backoff, ex.toString());
					closeConnection();
					this.wakeUps.clear();
					this.wakeUps.poll(backoff.toMillis(), TimeUnit.MILLISECONDS);
					backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
							: backoff.multipliedBy(2);
					more = true;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			deletePublishedQuietly();
			closeConnection();
		}
	}

	/** The poll interval, or less when published rows come due for deletion sooner. */
	private Duration untilNextLook() {
		Duration next = this.properties.pollInterval();
		long now = System.nanoTime();
		if (!this.published.isEmpty()) {
			next = earlier(next, this.properties.deleteDelay().minusNanos(now - this.publishedSince));
		}
		for (long retryAt : this.fullQueues.values()) {
			next = earlier(next, Duration.ofNanos(retryAt - now));
		}
		return next;
	}

	private static Duration earlier(Duration a, Duration b) {
		Duration earlier = (b.compareTo(a) < 0) ? b : a;
		return earlier.isNegative() ? Duration.ZERO : earlier;
	}

	/** Returns once the outbox has rows or a local transaction wrote one. */
	private void awaitFirstMessage() throws InterruptedException {
		while (this.running) {
			try (Connection c = this.dataSource.getConnection();
					PreparedStatement any = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM platform.outbox)");
					ResultSet rs = any.executeQuery()) {
				rs.next();
				if (rs.getBoolean(1)) {
					return;
				}
				break;
			}
			catch (SQLException ex) {
				log.warn("Outbox relay cannot read the outbox yet, trying again in {}: {}",
						this.properties.pollInterval(), ex.toString());
				// The database is not there yet.
				Thread.sleep(this.properties.pollInterval());
			}
		}
		this.wakeUps.take();
	}

	/**
	 * One pass: publishes a batch if this relay holds the lock. Returns whether to go on
	 * at once (a full batch went out, so more may be waiting).
	 */
	boolean relayPass() throws SQLException {
		if (!holdLock()) {
			// Another instance relays (this one lost its connection, and the lock with
			// it): it publishes again and deletes what this one had published.
			this.published.clear();
			return false;
		}
		long now = System.nanoTime();
		this.fullQueues.values().removeIf((retryAt) -> retryAt - now <= 0);
		List<Row> rows = new ArrayList<>();
		try (PreparedStatement select = this.connection.prepareStatement(SELECT)) {
			select.setArray(1, this.connection.createArrayOf("bigint", this.published.toArray()));
			select.setArray(2, this.connection.createArrayOf("text", this.fullQueues.keySet().toArray()));
			select.setInt(3, this.properties.batchSize());
			try (ResultSet rs = select.executeQuery()) {
				while (rs.next()) {
					rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), "queue".equals(rs.getString(3)),
							rs.getString(4), rs.getString(5), rs.getString(6), rs.getBytes(7),
							rs.getTimestamp(8).toInstant(), rs.getInt(9),
							(rs.getTimestamp(10) != null) ? rs.getTimestamp(10).toInstant() : null, rs.getString(11),
							rs.getString(12)));
				}
			}
		}
		Outcome outcome = rows.isEmpty() ? Outcome.NONE : publish(rows);
		List<Long> sent = outcome.published();
		if (!sent.isEmpty()) {
			if (this.published.isEmpty()) {
				this.publishedSince = System.nanoTime();
			}
			this.published.addAll(sent);
		}
		if (!this.published.isEmpty() && (this.published.size() >= this.properties.batchSize()
				|| System.nanoTime() - this.publishedSince >= this.properties.deleteDelay().toNanos())) {
			deletePublished();
		}
		// After the acks, so that rows published before a failure are not published
		// again.
		park(outcome.dead());
		if (outcome.failure() != null) {
			throw outcome.failure();
		}
		return rows.size() == this.properties.batchSize() && (!sent.isEmpty() || !outcome.dead().isEmpty());
	}

	/**
	 * Moves rows the broker refused for good to the dead outbox, with the reason: they
	 * would fail every time and hold back every row behind them.
	 */
	private void park(Map<Row, String> dead) throws SQLException {
		for (Map.Entry<Row, String> entry : dead.entrySet()) {
			Row row = entry.getKey();
			try (PreparedStatement park = this.connection.prepareStatement(PARK)) {
				park.setLong(1, row.seq());
				park.setString(2, entry.getValue());
				park.executeUpdate();
			}
			log.warn(
					"Outbox row {} ({} {} to {}, {} bytes) cannot be sent and was moved to platform.dead_outbox,"
							+ " where `switchboard dlq` finds it: {}",
					row.seq(), row.type(), row.id(), row.topic(), row.payload().length, entry.getValue());
		}
	}

	/**
	 * Deletes exactly the rows published: sequence numbers are drawn before commit, so a
	 * row with a lower seq than these can still become visible later and must stay.
	 */
	private void deletePublished() throws SQLException {
		try (PreparedStatement delete = this.connection
			.prepareStatement("DELETE FROM platform.outbox WHERE seq = ANY (?)")) {
			delete.setArray(1, this.connection.createArrayOf("bigint", this.published.toArray()));
			delete.executeUpdate();
		}
		this.published.clear();
	}

	/** On the way out: what is not deleted now is published again by the next relay. */
	private void deletePublishedQuietly() {
		if (this.published.isEmpty() || this.connection == null) {
			return;
		}
		try {
			deletePublished();
		}
		catch (SQLException | RuntimeException ex) {
			log.warn("Could not delete {} published outbox rows; they will be published again: {}",
					this.published.size(), ex.toString());
		}
	}

	/**
	 * Sends the rows and waits for the broker: which went out, which can never go, and
	 * the first failure that may pass (the rows it concerns stay for the next pass).
	 */
	private Outcome publish(List<Row> rows) {
		List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
		for (Row row : rows) {
			sends.add(row.queue() ? sendToQueue(row) : sendToTopic(row));
		}
		CompletableFuture
			.allOf(sends.stream().map((send) -> send.handle((result, ex) -> null)).toArray(CompletableFuture[]::new))
			.orTimeout(this.properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.join();
		List<Long> published = new ArrayList<>();
		List<Row> sent = new ArrayList<>();
		List<Row> refused = new ArrayList<>();
		Map<Row, String> dead = new LinkedHashMap<>();
		IllegalStateException transientFailure = null;
		for (int i = 0; i < rows.size(); i++) {
			Throwable failure = failureOf(sends.get(i));
			String deadReason = (failure != null) ? Undeliverable.reason(failure) : null;
			if (failure == null) {
				published.add(rows.get(i).seq());
				sent.add(rows.get(i));
			}
			else if (failure instanceof QueueFullException) {
				refused.add(rows.get(i));
				this.fullQueues.put(rows.get(i).topic(), System.nanoTime() + FULL_QUEUE_RETRY.toNanos());
			}
			else if (deadReason != null) {
				dead.put(rows.get(i), deadReason);
			}
			else if (transientFailure == null) {
				// Keep every row: a topic's later records must not overtake an earlier
				// one that failed. What did go out goes again; consumers skip repeats.
				transientFailure = new IllegalStateException(
						"Could not publish outbox row " + rows.get(i).seq() + " to " + rows.get(i).topic(), failure);
			}
		}
		if (transientFailure != null) {
			return new Outcome(List.of(), dead, transientFailure);
		}
		Instant acknowledged = Instant.now();
		for (Row row : sent) {
			this.delay.record(Duration.between(row.createdAt(), acknowledged));
			this.tracing.published(row.traceparent(), row.topic(), row.id().toString(), row.key(), row.createdAt(),
					acknowledged);
		}
		if (!refused.isEmpty() && !this.refusing) {
			log.info("Full queue {}: keeping {} messages in the outbox until it has room",
					refused.stream().map(Row::topic).distinct().toList(), refused.size());
		}
		else if (refused.isEmpty() && this.refusing) {
			log.info("Queues take messages again; the outbox has caught up with its refused messages");
		}
		this.refusing = !refused.isEmpty();
		return new Outcome(published, dead, null);
	}

	/**
	 * Whether this relay holds the advisory lock, taking a connection and the lock if it
	 * has none.
	 */
	private boolean holdLock() throws SQLException {
		if (this.connection != null) {
			return true;
		}
		Connection candidate = this.dataSource.getConnection();
		try {
			candidate.setAutoCommit(true);
			try (PreparedStatement lock = candidate.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
				lock.setLong(1, ADVISORY_LOCK_KEY);
				try (ResultSet rs = lock.executeQuery()) {
					rs.next();
					if (rs.getBoolean(1)) {
						this.connection = candidate;
						this.lockHeld = true;
						return true;
					}
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			candidate.close();
			throw ex;
		}
		// Another instance of this service relays; look again at the next poll.
		candidate.close();
		return false;
	}

	private void closeConnection() {
		if (this.connection == null) {
			return;
		}
		this.lockHeld = false;
		try {
			// Back to the pool: the lock must not outlive the relay's hold on the
			// connection.
			try (PreparedStatement unlock = this.connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
				unlock.setLong(1, ADVISORY_LOCK_KEY);
				unlock.execute();
			}
			catch (SQLException ex) {
				// A broken connection holds no lock any more; the pool discards it.
			}
			this.connection.close();
		}
		catch (SQLException ex) {
			log.debug("Closing the relay's connection failed: {}", ex.toString());
		}
		this.connection = null;
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

	private CompletableFuture<?> sendToTopic(Row row) {
		try {
			return this.kafka.send(toRecord(row));
		}
		catch (RuntimeException ex) {
			// The producer refuses some records at once (one over its request size),
			// others through the future; both are judged the same way.
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletableFuture<Void> sendToQueue(Row row) {
		WorkQueues queues = this.workQueues.getIfAvailable();
		if (queues == null) {
			return CompletableFuture.failedFuture(new UndeliverableMessageException(
					"The outbox holds a message for queue " + row.topic() + " but this service has no work queues"));
		}
		if (!queues.declares(row.topic())) {
			return CompletableFuture.failedFuture(
					new UndeliverableMessageException("No work queue " + row.topic() + " is declared in this service"));
		}
		try {
			return queues.send(queues.spec(row.topic()),
					new QueueMessage(row.id().toString(), row.type(), row.key(), row.createdAt(), row.payload(),
							row.priority(), row.expiresAt(), row.dataschema(), row.traceparent()));
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

	private record Outcome(List<Long> published, Map<Row, String> dead, IllegalStateException failure) {

		static final Outcome NONE = new Outcome(List.of(), Map.of(), null);

	}

	private record Row(long seq, UUID id, boolean queue, String topic, String key, String type, byte[] payload,
			Instant createdAt, int priority, Instant expiresAt, String dataschema, String traceparent) {
	}

}
