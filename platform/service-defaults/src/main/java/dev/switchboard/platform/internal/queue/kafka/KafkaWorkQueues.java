package dev.switchboard.platform.internal.queue.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.platform.messaging.EventEnvelope;
import dev.switchboard.platform.messaging.MalformedEventException;
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

	static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Longest total backoff a consumer may hold a record for; the record lock lasts 30 s.
	 */
	static final Duration MAX_TOTAL_BACKOFF = Duration.ofSeconds(20);

	private final Map<String, Object> connection;

	private final String source;

	private final int partitions;

	private final Admin admin;

	private final KafkaProducer<String, byte[]> producer;

	private final Map<String, QueueBacklog> backlogs = new ConcurrentHashMap<>();

	/**
	 * @param source the CloudEvents source of sent messages (the application's name)
	 * @param partitions how many partitions a new queue topic gets: at most that many
	 * consumers of one priority level take records from it in parallel
	 */
	public KafkaWorkQueues(String bootstrapServers, String source, int partitions) {
		this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), source, partitions);
	}

	/**
	 * @param connection where the broker is and how to reach it: bootstrap servers and
	 * security settings (TLS, this service's certificate), which every client here uses
	 * @param source the CloudEvents source of sent messages (the application's name)
	 * @param partitions how many partitions a new queue topic gets
	 */
	public KafkaWorkQueues(Map<String, Object> connection, String source, int partitions) {
		this.connection = Map.copyOf(connection);
		this.source = source;
		this.partitions = partitions;
		this.admin = Admin.create(this.connection);
		this.producer = new KafkaProducer<>(with(this.connection,
				Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
						ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.CLIENT_ID_CONFIG, source + "-queues")),
				new StringSerializer(), new ByteArraySerializer());
	}

	/** A client's configuration: the connection's, and its own. */
	static Map<String, Object> with(Map<String, Object> connection, Map<String, Object> own) {
		Map<String, Object> config = new java.util.HashMap<>(connection);
		config.putAll(own);
		return config;
	}

	static String topicOf(QueueSpec queue, int level) {
		return queue.levelName(level);
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
		QueueBacklog backlog = (queue.maxLength() > 0) ? backlog(queue) : null;
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

	/** The share groups' lag over the queue's topics (one per priority level). */
	@Override
	public long waiting(QueueSpec queue) {
		return new QueueBacklog(queue, this.admin).lagNow();
	}

	private QueueBacklog backlog(QueueSpec queue) {
		return this.backlogs.computeIfAbsent(queue.name(), (name) -> new QueueBacklog(queue, this.admin));
	}

	@Override
	public Consumers consume(QueueSpec queue, int consumers, int prefetch, QueueHandler handler) {
		List<ShareConsumerWorker> workers = new ArrayList<>();
		for (int i = 0; i < consumers; i++) {
			workers.add(new ShareConsumerWorker(this.connection, this.producer, queue, prefetch, handler, i));
		}
		List<Thread> threads = workers.stream()
			.map((worker) -> Thread.ofPlatform().name(queue.name() + "-" + worker.index()).start(worker))
			.toList();
		return new Consumers() {

			@Override
			public List<String> failures() {
				return workers.stream().map(ShareConsumerWorker::failure).filter(Objects::nonNull).toList();
			}

			@Override
			public int restarts() {
				return workers.stream().mapToInt(ShareConsumerWorker::restarts).sum();
			}

			@Override
			public void close() {
				workers.forEach(ShareConsumerWorker::stop);
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

	static RuntimeException interruptedOrTimedOut(String what, Exception ex) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
		}
		return new IllegalStateException("Gave up " + what + ": " + ex, ex);
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

	static void put(Headers headers, String key, String value) {
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

}
