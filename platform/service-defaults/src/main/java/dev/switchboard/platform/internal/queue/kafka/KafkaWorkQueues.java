package dev.switchboard.platform.internal.queue.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.platform.messaging.EventEnvelope;
import dev.switchboard.platform.messaging.MalformedEventException;
import dev.switchboard.platform.internal.queue.Attempts;
import dev.switchboard.platform.queue.DeadLetterHeaders;
import dev.switchboard.platform.queue.QueueFullException;
import dev.switchboard.platform.queue.QueueHandler;
import dev.switchboard.platform.queue.QueueMessage;
import dev.switchboard.platform.queue.WorkQueueBinding;

/**
 * Work queues on Kafka share groups (KIP-932): records of a queue's topic are handed to
 * competing consumers one by one, acknowledged (ACCEPT) after the handler returned, and
 * redelivered by the broker when a consumer dies holding them.
 *
 * <p>
 * What Kafka lacks, this binding builds:
 * <ul>
 * <li>priority: one topic (and share group) per level, {@code <queue>} for 0 and
 * {@code <queue>.p<level>} above; each consumer thread takes from the highest level that
 * has records;</li>
 * <li>TTL: an {@code expires-at} header, checked when the record is delivered;</li>
 * <li>maximum length: the sender refuses a message when the share groups' backlog (their
 * lag, read through the admin API, plus what it sent since and what it is sending)
 * reaches the limit. It reads the lag only when that estimate passes half the limit (at
 * most every {@value #BACKLOG_REFRESH_MS} ms) or would refuse a message: a queue that is
 * far from full costs no admin requests. The count is exact or errs on the full side for
 * one sender; several senders can each fill the room one measurement showed, so the limit
 * is approximate for them.</li>
 * </ul>
 * The broker's own delivery limit and share-group dead-letter topic (KIP-1191) catch what
 * a consumer cannot: a record whose consumer keeps dying while holding it.
 */
public final class KafkaWorkQueues implements WorkQueueBinding {

	private static final Logger log = LoggerFactory.getLogger(KafkaWorkQueues.class);

	static final String EXPIRES_AT = "expires-at";

	private static final long BACKLOG_REFRESH_MS = 200;

	/**
	 * How long the lowest priority level's poll waits for records when the queue has
	 * higher ones: a record of a higher level arriving meanwhile waits up to this long.
	 */
	private static final Duration IDLE_POLL = Duration.ofMillis(100);

	/**
	 * How long the poll of a queue without priorities waits: records end it at once, and
	 * nothing else needs the thread, so it wakes only when the broker answers an empty
	 * fetch.
	 */
	private static final Duration SINGLE_LEVEL_POLL = Duration.ofSeconds(5);

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The first pause before a consumer that failed is started again; it doubles up to
	 * {@link #MAX_RESTART_BACKOFF}.
	 */
	static final Duration RESTART_BACKOFF = Duration.ofMillis(500);

	private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

	private static final Duration HIGHER_LEVEL_POLL = Duration.ofMillis(30);

	/**
	 * How long a quiet consumer thread (its last round found no record on any level)
	 * waits on its highest level, which ends the wait as soon as a record arrives there.
	 * Only the levels below wait longer for it: a record arriving there meanwhile waits
	 * up to this long, once, before the thread is busy again. Without it a quiet thread
	 * went round its levels every 130 ms, waking itself and every level's client eight
	 * times a second.
	 */
	private static final Duration QUIET_TOP_LEVEL_POLL = Duration.ofSeconds(1);

	/**
	 * How long the broker holds an empty share fetch before answering it. A record that
	 * arrives meanwhile answers it at once, so this costs no latency; it sets how often
	 * an idle consumer asks (Kafka's 500 ms default: two requests a second per consumer
	 * and priority level, most of the broker's work at rest).
	 */
	private static final int SHARE_FETCH_MAX_WAIT_MS = 2_000;

	/**
	 * Longest total backoff a consumer may hold a record for; the record lock lasts 30 s.
	 */
	private static final Duration MAX_TOTAL_BACKOFF = Duration.ofSeconds(20);

	private final String bootstrapServers;

	private final String source;

	private final int partitions;

	private final Admin admin;

	private final KafkaProducer<String, byte[]> producer;

	private final Map<String, Backlog> backlogs = new ConcurrentHashMap<>();

	/**
	 * @param source the CloudEvents source of sent messages (the application's name)
	 * @param partitions how many partitions a new queue topic gets: at most that many
	 * consumers of one priority level take records from it in parallel
	 */
	public KafkaWorkQueues(String bootstrapServers, String source, int partitions) {
		this.bootstrapServers = bootstrapServers;
		this.source = source;
		this.partitions = partitions;
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
		this.producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 1,
						ProducerConfig.CLIENT_ID_CONFIG, source + "-queues"),
				new StringSerializer(), new ByteArraySerializer());
	}

	static String topicOf(QueueSpec queue, int level) {
		return (level == 0) ? queue.name() : queue.name() + ".p" + level;
	}

	@Override
	public void declare(QueueSpec queue) {
		if (queue.totalBackoff().compareTo(MAX_TOTAL_BACKOFF) > 0) {
			throw new IllegalArgumentException("Queue " + queue.name() + " waits " + queue.totalBackoff().toMillis()
					+ " ms between its attempts; on Kafka a consumer holds a record for at most "
					+ MAX_TOTAL_BACKOFF.toMillis() + " ms of backoff");
		}
		List<NewTopic> topics = new ArrayList<>();
		for (int level = 0; level < queue.priorities(); level++) {
			topics.add(new NewTopic(topicOf(queue, level), this.partitions, (short) -1));
		}
		topics.add(new NewTopic(queue.deadLetterName(), 1, (short) -1)
			.configs(Map.of("errors.deadletterqueue.group.enable", "true")));
		for (NewTopic topic : topics) {
			try {
				this.admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof InvalidConfigurationException && topic.configs() != null) {
					// A broker before Kafka 4.4 knows no share-group dead-letter topics.
					createPlain(topic);
				}
				else if (!(ex.getCause() instanceof TopicExistsException)) {
					throw new IllegalStateException("Could not create topic " + topic.name(), ex.getCause());
				}
			}
			catch (InterruptedException | TimeoutException ex) {
				throw interruptedOrTimedOut("creating topic " + topic.name(), ex);
			}
		}
		// A crash-looping record (its consumer dies while holding it) is delivered at
		// most maxAttempts times by the broker, then written to the same dead-letter
		// topic.
		String limit = Integer.toString(Math.clamp(queue.maxAttempts(), 2, 10));
		for (int level = 0; level < queue.priorities(); level++) {
			String group = topicOf(queue, level);
			configure(group,
					List.of(set("share.auto.offset.reset", "earliest"), set("share.delivery.count.limit", limit)),
					"Kafka 4.2 or later with share groups enabled; or put the work queues on RabbitMQ");
			try {
				configure(group, List.of(set("errors.deadletterqueue.topic.name", queue.deadLetterName()),
						set("errors.deadletterqueue.copy.record.enable", "true")), "Kafka 4.4 or later");
			}
			catch (IllegalStateException ex) {
				log.warn("{}: this Kafka writes no dead letters for share groups ({}); a record whose consumers keep "
						+ "dying is dropped after {} deliveries", group, ex.getMessage(), limit);
			}
		}
	}

	private void configure(String group, List<AlterConfigOp> ops, String needs) {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
		try {
			this.admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not configure share group " + group + " (needs " + needs + "): "
					+ ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException | TimeoutException ex) {
			throw interruptedOrTimedOut("configuring share group " + group, ex);
		}
	}

	private void createPlain(NewTopic topic) {
		try {
			this.admin
				.createTopics(List.of(new NewTopic(topic.name(), topic.numPartitions(), topic.replicationFactor())))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("Could not create topic " + topic.name(), ex.getCause());
			}
		}
		catch (InterruptedException | TimeoutException ex) {
			throw interruptedOrTimedOut("creating topic " + topic.name(), ex);
		}
	}

	private static AlterConfigOp set(String name, String value) {
		return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
	}

	@Override
	public CompletableFuture<Void> send(QueueSpec queue, QueueMessage message) {
		Backlog backlog = (queue.maxLength() > 0) ? backlog(queue) : null;
		if (backlog != null && !backlog.tryReserve()) {
			return CompletableFuture.failedFuture(new QueueFullException(queue.name()));
		}
		int level = Math.min(message.priority(), queue.priorities() - 1);
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topicOf(queue, level), message.subject(),
				message.payload());
		CloudEventHeaders.write(record.headers(), message.id(), message.type(), this.source, message.time(),
				message.subject(), message.dataschema(), message.traceparent());
		if (message.expiresAt() != null) {
			record.headers().add(EXPIRES_AT, message.expiresAt().toString().getBytes(StandardCharsets.UTF_8));
		}
		CompletableFuture<Void> sent = new CompletableFuture<>();
		try {
			this.producer.send(record, (metadata, ex) -> {
				if (ex != null) {
					if (backlog != null) {
						backlog.failed();
					}
					sent.completeExceptionally(ex);
				}
				else {
					if (backlog != null) {
						backlog.sent();
					}
					sent.complete(null);
				}
			});
		}
		catch (RuntimeException ex) {
			if (backlog != null) {
				backlog.failed();
			}
			sent.completeExceptionally(ex);
		}
		return sent;
	}

	private Backlog backlog(QueueSpec queue) {
		return this.backlogs.computeIfAbsent(queue.name(), (name) -> new Backlog(queue));
	}

	@Override
	public Consumers consume(QueueSpec queue, int consumers, int prefetch, QueueHandler handler) {
		List<Worker> workers = new ArrayList<>();
		for (int i = 0; i < consumers; i++) {
			workers.add(new Worker(queue, prefetch, handler, i));
		}
		List<Thread> threads = workers.stream()
			.map((worker) -> Thread.ofPlatform().name(queue.name() + "-" + worker.index).start(worker))
			.toList();
		return new Consumers() {

			@Override
			public List<String> failures() {
				return workers.stream().map(Worker::failure).filter(Objects::nonNull).toList();
			}

			@Override
			public int restarts() {
				return workers.stream().mapToInt((worker) -> worker.restarts).sum();
			}

			@Override
			public void close() {
				workers.forEach(Worker::stop);
				try {
					// Let handlers finish what they hold, as RabbitMQ's container does;
					// then interrupt them, and the broker delivers what they held again.
					for (Thread thread : threads) {
						thread.join(SHUTDOWN_TIMEOUT);
					}
					threads.forEach(Thread::interrupt);
					for (Thread thread : threads) {
						thread.join(SHUTDOWN_TIMEOUT);
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

		};
	}

	@Override
	public void close() {
		this.producer.close(Duration.ofSeconds(10));
		this.admin.close(Duration.ofSeconds(10));
	}

	private static RuntimeException interruptedOrTimedOut(String what, Exception ex) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
		}
		return new IllegalStateException("Gave up " + what + ": " + ex, ex);
	}

	/**
	 * One consumer thread: a share consumer per priority level, highest first. It is its
	 * own supervisor: whatever escapes a poll (a broker request that times out while the
	 * broker is away, an error thrown by a handler) closes its consumers, which gives
	 * back the records they held, and after a pause that doubles from
	 * {@link #RESTART_BACKOFF} up to 30 s it starts again with new ones. Until then
	 * {@link #failure()} says why it is down.
	 */
	private final class Worker implements Runnable {

		private final QueueSpec queue;

		private final QueueHandler handler;

		/**
		 * A record of the current poll was given back for want of infrastructure: so are
		 * the rest.
		 */
		private boolean givenBack;

		private final int index;

		private final int prefetch;

		/**
		 * Replaced on a restart while {@link #stop()} may read it from another thread.
		 */
		private final List<KafkaShareConsumer<String, byte[]>> levels = new CopyOnWriteArrayList<>();

		/** Per level: acknowledged records not yet sent to the broker. */
		private final boolean[] owesAcknowledgements;

		private volatile boolean running = true;

		/**
		 * Why this consumer is down and waiting to start again; {@code null} while it
		 * runs.
		 */
		private volatile String failure;

		/** How many times it was started again after a failure. */
		private volatile int restarts;

		/**
		 * Counted down by {@link #stop()}, so that a pause before a restart ends at once.
		 */
		private final CountDownLatch stopped = new CountDownLatch(1);

		/** Whether the last round found no record on any level. */
		private boolean quiet;

		Worker(QueueSpec queue, int prefetch, QueueHandler handler, int index) {
			this.queue = queue;
			this.handler = handler;
			this.index = index;
			this.prefetch = prefetch;
			this.owesAcknowledgements = new boolean[queue.priorities()];
			open();
		}

		private void open() {
			this.levels.clear();
			Arrays.fill(this.owesAcknowledgements, false);
			this.quiet = false;
			for (int level = 0; level < this.queue.priorities(); level++) {
				KafkaShareConsumer<String, byte[]> consumer = new KafkaShareConsumer<>(
						Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaWorkQueues.this.bootstrapServers,
								ConsumerConfig.GROUP_ID_CONFIG, topicOf(this.queue, level),
								ConsumerConfig.CLIENT_ID_CONFIG, topicOf(this.queue, level) + "-" + this.index,
								ConsumerConfig.MAX_POLL_RECORDS_CONFIG, this.prefetch,
								ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit",
								ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, SHARE_FETCH_MAX_WAIT_MS,
								ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit"),
						new StringDeserializer(), new ByteArrayDeserializer());
				consumer.subscribe(List.of(topicOf(this.queue, level)));
				this.levels.add(consumer);
			}
		}

		void stop() {
			this.running = false;
			this.stopped.countDown();
			this.levels.forEach(KafkaShareConsumer::wakeup);
		}

		String failure() {
			String failure = this.failure;
			return (failure != null) ? "consumer " + this.index + ": " + failure : null;
		}

		@Override
		public void run() {
			Duration backoff = RESTART_BACKOFF;
			while (this.running) {
				try {
					if (this.levels.isEmpty()) {
						open();
					}
					pollOnce();
					if (this.failure != null) {
						log.info("{}: consumer {} is back after {} restart(s)", this.queue.name(), this.index,
								this.restarts);
						this.failure = null;
						backoff = RESTART_BACKOFF;
					}
				}
				catch (WakeupException | InterruptException ex) {
					// Stopping (or a stray interrupt: then the loop goes on).
					Thread.interrupted();
				}
				catch (RuntimeException | LinkageError | AssertionError ex) {
					// Whatever the cause, the consumer must not die silently with the
					// records it holds and the queue unserved: restart it, and say so in
					// the health.
					this.failure = ex.toString();
					log.error("{}: consumer {} failed; closing it and starting it again in {}", this.queue.name(),
							this.index, backoff, ex);
					closeConsumers();
					try {
						if (this.stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
							break;
						}
					}
					catch (InterruptedException interrupted) {
						break;
					}
					this.restarts++;
					backoff = backoff.multipliedBy(2).compareTo(MAX_RESTART_BACKOFF) > 0 ? MAX_RESTART_BACKOFF
							: backoff.multipliedBy(2);
				}
			}
			Thread.interrupted();
			closeConsumers();
		}

		/**
		 * Closing releases what the consumers still hold: the broker delivers it again.
		 */
		private void closeConsumers() {
			for (KafkaShareConsumer<String, byte[]> consumer : this.levels) {
				try {
					consumer.close(Duration.ofSeconds(5));
				}
				catch (RuntimeException ex) {
					log.debug("{}: closing consumer {} failed: {}", this.queue.name(), this.index, ex.toString());
				}
			}
			this.levels.clear();
		}

		/**
		 * Handles one batch from the highest level that has records.
		 *
		 * <p>
		 * Its acknowledgements go with that consumer's next poll, which comes at once
		 * (the loop polls every level from the top down to the first with records),
		 * instead of in a request of their own: one request less per batch for the
		 * broker, and no round trip the thread waits for. A level below one that had
		 * records was not polled this time, so what it still owes is sent on its own
		 * then.
		 */
		private void pollOnce() {
			int top = this.levels.size() - 1;
			for (int level = top; level >= 0; level--) {
				KafkaShareConsumer<String, byte[]> consumer = this.levels.get(level);
				ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout(level, top));
				this.owesAcknowledgements[level] = false;
				if (!records.isEmpty()) {
					this.quiet = false;
					// The broker's lock on the records of a poll runs from now.
					Instant holdUntil = Instant.now().plus(MAX_TOTAL_BACKOFF);
					this.givenBack = false;
					for (ConsumerRecord<String, byte[]> record : records) {
						consumer.acknowledge(record, (this.running && !this.givenBack)
								? deliver(record, level, holdUntil) : AcknowledgeType.RELEASE);
					}
					if (this.givenBack) {
						// The infrastructure is away: give the records back now, and take
						// no more until it is back (each delivery counts towards the
						// broker's limit).
						Thread.interrupted();
						consumer.commitSync(SHUTDOWN_TIMEOUT);
						awaitInfrastructure();
						return;
					}
					// An interrupt that stopped a handler has done its work; the client
					// must still send the acknowledgements.
					Thread.interrupted();
					this.owesAcknowledgements[level] = true;
					for (int lower = 0; lower < level; lower++) {
						if (this.owesAcknowledgements[lower]) {
							this.levels.get(lower).commitAsync();
							this.owesAcknowledgements[lower] = false;
						}
					}
					return;
				}
			}
			this.quiet = true;
		}

		private Duration pollTimeout(int level, int top) {
			if (top == 0) {
				return SINGLE_LEVEL_POLL;
			}
			if (level == top && this.quiet) {
				return QUIET_TOP_LEVEL_POLL;
			}
			return (level > 0) ? HIGHER_LEVEL_POLL : IDLE_POLL;
		}

		private void awaitInfrastructure() {
			Duration wait = Duration.ofMillis(500);
			while (this.running && !this.handler.ready()) {
				log.info("{}: waiting for the infrastructure before taking more messages", this.queue.name());
				LockSupport.parkNanos(wait.toNanos());
				wait = (wait.compareTo(Duration.ofSeconds(5)) < 0) ? wait.multipliedBy(2) : wait;
			}
		}

		private AcknowledgeType deliver(ConsumerRecord<String, byte[]> record, int level, Instant holdUntil) {
			QueueMessage message;
			try {
				message = decode(record, level);
			}
			catch (MalformedEventException ex) {
				return deadLetter(record, new Attempts.Outcome.Dead(DeadLetterHeaders.MALFORMED, ex.toString(), 0));
			}
			if (message.expiredAt(Instant.now())) {
				return deadLetter(record,
						new Attempts.Outcome.Dead(DeadLetterHeaders.EXPIRED, "expired at " + message.expiresAt(), 0));
			}
			return switch (Attempts.run(this.queue, message, this.handler, holdUntil)) {
				case Attempts.Outcome.Done done -> AcknowledgeType.ACCEPT;
				case Attempts.Outcome.Dead dead -> deadLetter(record, dead);
				case Attempts.Outcome.Released released -> {
					this.givenBack = true;
					yield AcknowledgeType.RELEASE;
				}
				case Attempts.Outcome.Abandoned abandoned -> {
					this.running = false;
					yield AcknowledgeType.RELEASE;
				}
			};
		}

		private AcknowledgeType deadLetter(ConsumerRecord<String, byte[]> record, Attempts.Outcome.Dead dead) {
			ProducerRecord<String, byte[]> letter = new ProducerRecord<>(this.queue.deadLetterName(), null,
					record.key(), record.value(), record.headers());
			Headers headers = letter.headers();
			put(headers, DeadLetterHeaders.REASON, dead.reason());
			put(headers, DeadLetterHeaders.ERROR, dead.error());
			put(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(dead.attempts()));
			put(headers, DeadLetterHeaders.ORIGIN, record.topic());
			try {
				KafkaWorkQueues.this.producer.send(letter).get(30, TimeUnit.SECONDS);
				return AcknowledgeType.ACCEPT;
			}
			catch (ExecutionException | TimeoutException ex) {
				// Not dead-lettered, so not acknowledged: it comes back and is tried
				// again.
				log.warn("{}: could not dead-letter {}-{}@{}; releasing it: {}", this.queue.name(), record.topic(),
						record.partition(), record.offset(), ex.toString());
				return AcknowledgeType.RELEASE;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return AcknowledgeType.RELEASE;
			}
		}

	}

	static QueueMessage decode(ConsumerRecord<String, byte[]> record, int level) {
		EventEnvelope envelope = CloudEventHeaders.read(record.headers(), record.topic(), record.partition(),
				record.offset());
		if (record.value() == null || envelope.time() == null || envelope.subject() == null) {
			throw new MalformedEventException("record lacks a value, ce_time or ce_subject");
		}
		Header expires = record.headers().lastHeader(EXPIRES_AT);
		Instant expiresAt;
		try {
			expiresAt = (expires != null) ? Instant.parse(new String(expires.value(), StandardCharsets.UTF_8)) : null;
		}
		catch (DateTimeParseException ex) {
			throw new MalformedEventException("unreadable " + EXPIRES_AT + " header", ex);
		}
		return new QueueMessage(envelope.id(), envelope.type(), envelope.subject(), envelope.time(), record.value(),
				level, expiresAt, envelope.dataschema(), envelope.traceparent());
	}

	private static void put(Headers headers, String key, String value) {
		headers.remove(key);
		headers.add(key, value.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Whether a sender asks the broker for a queue's backlog again, given its estimate
	 * (the last measurement plus what it sent since) and how long ago it measured. The
	 * estimate only grows between measurements (consumers are not seen), so while it is
	 * below the limit the queue has room and asking would be wasted: a measurement is
	 * four admin requests per priority level. It measures before refusing (consumers may
	 * have made room since; but not on every refused send), and once the estimate passes
	 * half the limit, so that other senders' messages are seen before they could fill the
	 * rest.
	 */
	static boolean measureBacklog(long estimate, long maxLength, Duration age) {
		if (estimate >= maxLength) {
			return age.toMillis() > BACKLOG_REFRESH_MS / 10;
		}
		return estimate * 2 >= maxLength && age.toMillis() > BACKLOG_REFRESH_MS;
	}

	/**
	 * How many messages wait in a queue, for its maximum length: measured through the
	 * share groups' lag, plus what this sender sent since the last measurement.
	 */
	private final class Backlog {

		private final QueueSpec queue;

		/** The share groups' lag at the last measurement. */
		private long measured;

		/** Sends acknowledged by the broker since the last measurement began. */
		private long ackedSince;

		/**
		 * Sends not yet acknowledged: not in the end offsets yet, whatever a measurement
		 * says.
		 */
		private long inFlight;

		private boolean everMeasured;

		private long measuredAt;

		Backlog(QueueSpec queue) {
			this.queue = queue;
		}

		/**
		 * Counts a send in if the queue has room; the caller reports its outcome with
		 * {@link #sent} or {@link #failed}.
		 */
		synchronized boolean tryReserve() {
			if (!this.everMeasured || measureBacklog(estimate(), this.queue.maxLength(),
					Duration.ofNanos(System.nanoTime() - this.measuredAt))) {
				measure();
			}
			if (isFull()) {
				return false;
			}
			this.inFlight++;
			return true;
		}

		synchronized void sent() {
			this.inFlight--;
			this.ackedSince++;
		}

		synchronized void failed() {
			this.inFlight--;
		}

		/**
		 * Errs on the full side: a send acknowledged while a measurement runs may be
		 * counted twice until the next one.
		 */
		private boolean isFull() {
			return estimate() >= this.queue.maxLength();
		}

		/** At least the messages waiting, if this is the only sender. */
		private long estimate() {
			return this.measured + this.ackedSince + this.inFlight;
		}

		private void measure() {
			this.ackedSince = 0;
			long total = 0;
			for (int level = 0; level < this.queue.priorities(); level++) {
				total += lag(topicOf(this.queue, level));
			}
			this.measured = total;
			this.measuredAt = System.nanoTime();
			this.everMeasured = true;
		}

		/** Records of the topic its share group has not yet acknowledged. */
		private long lag(String topic) {
			try {
				Map<TopicPartition, SharePartitionOffsetInfo> offsets = KafkaWorkQueues.this.admin
					.listShareGroupOffsets(Map.of(topic, new ListShareGroupOffsetsSpec()))
					.partitionsToOffsetInfo(topic)
					.get(10, TimeUnit.SECONDS);
				Set<TopicPartition> partitions = partitionsOf(topic);
				Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
				Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest());
				long lag = 0;
				for (TopicPartition partition : partitions) {
					SharePartitionOffsetInfo info = offsets.get(partition);
					if (info != null && info.lag().isPresent()) {
						lag += info.lag().get();
					}
					else {
						long start = (info != null) ? Math.max(info.startOffset(), starts.get(partition))
								: starts.get(partition);
						lag += Math.max(0, ends.get(partition) - start);
					}
				}
				return lag;
			}
			catch (ExecutionException | TimeoutException ex) {
				throw new IllegalStateException("Could not measure the backlog of " + topic, ex);
			}
			catch (InterruptedException ex) {
				throw interruptedOrTimedOut("measuring the backlog of " + topic, ex);
			}
		}

		private Set<TopicPartition> partitionsOf(String topic)
				throws InterruptedException, ExecutionException, TimeoutException {
			return KafkaWorkQueues.this.admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(10, TimeUnit.SECONDS)
				.get(topic)
				.partitions()
				.stream()
				.map((p) -> new TopicPartition(topic, p.partition()))
				.collect(Collectors.toSet());
		}

		private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec)
				throws InterruptedException, ExecutionException, TimeoutException {
			Map<TopicPartition, OffsetSpec> request = new HashMap<>();
			partitions.forEach((p) -> request.put(p, spec));
			Map<TopicPartition, Long> result = new HashMap<>();
			KafkaWorkQueues.this.admin.listOffsets(request)
				.all()
				.get(10, TimeUnit.SECONDS)
				.forEach((p, info) -> result.put(p, info.offset()));
			return result;
		}

	}

}
