package dev.switchboard.platform.internal.queue.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.internal.messaging.DeadLetterCount;
import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.MalformedEventException;
import dev.switchboard.platform.internal.queue.Attempts;
import dev.switchboard.platform.queue.DeadLetterHeaders;
import dev.switchboard.platform.queue.QueueHandler;
import dev.switchboard.platform.queue.QueueMessage;

/**
 * One consumer thread: a share consumer per priority level, highest first. It is its own
 * supervisor: whatever escapes a poll (a broker request that times out while the broker
 * is away, an error thrown by a handler) closes its consumers, which gives back the
 * records they held, and after a pause that doubles from {@link #RESTART_BACKOFF} up to
 * 30 s it starts again with new ones. Until then {@link #failure()} says why it is down.
 */
final class ShareConsumerWorker implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(ShareConsumerWorker.class);

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

	/**
	 * The first pause before a consumer that failed is started again; it doubles up to
	 * {@link #MAX_RESTART_BACKOFF}.
	 */
	static final Duration RESTART_BACKOFF = Duration.ofMillis(500);

	private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

	private static final Duration HIGHER_LEVEL_POLL = Duration.ofMillis(30);

	/**
	 * How long a higher level whose last poll had records is waited on before the thread
	 * takes a lower one. Its next records are usually at the broker already, but the
	 * fetch for them is a round trip that a busy machine can stretch past
	 * {@link #HIGHER_LEVEL_POLL}: without this, a lower record slipped in between two
	 * higher ones. Records end the wait at once, so it costs one wait when the level
	 * empties.
	 */
	private static final Duration DRAINING_LEVEL_POLL = Duration.ofMillis(250);

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

	private final Map<String, Object> connection;

	private final KafkaProducer<String, byte[]> producer;

	private final QueueSpec queue;

	private final QueueHandler handler;

	/**
	 * A record of the current poll was given back for want of infrastructure: so are the
	 * rest.
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
	 * Why this consumer is down and waiting to start again; {@code null} while it runs.
	 */
	private volatile String failure;

	/** How many times it was started again after a failure. */
	private volatile int restarts;

	/**
	 * Counted down by {@link #stop()}, so that a pause before a restart ends at once.
	 */
	private final CountDownLatch stopped = new CountDownLatch(1);

	/** Per level: whether its last poll had records. */
	private final boolean[] hadRecords;

	/** Whether the last round found no record on any level. */
	private boolean quiet;

	ShareConsumerWorker(Map<String, Object> connection, KafkaProducer<String, byte[]> producer, QueueSpec queue,
			int prefetch, QueueHandler handler, int index) {
		this.connection = connection;
		this.producer = producer;
		this.queue = queue;
		this.handler = handler;
		this.index = index;
		this.prefetch = prefetch;
		this.owesAcknowledgements = new boolean[queue.priorities()];
		this.hadRecords = new boolean[queue.priorities()];
		open();
	}

	int index() {
		return this.index;
	}

	/** How many times it was started again after a failure. */
	int restarts() {
		return this.restarts;
	}

	private void open() {
		this.levels.clear();
		Arrays.fill(this.owesAcknowledgements, false);
		this.quiet = false;
		for (int level = 0; level < this.queue.priorities(); level++) {
			KafkaShareConsumer<String, byte[]> consumer = new KafkaShareConsumer<>(
					KafkaWorkQueues.with(this.connection,
							Map.of(ConsumerConfig.GROUP_ID_CONFIG, KafkaWorkQueues.topicOf(this.queue, level),
									ConsumerConfig.CLIENT_ID_CONFIG,
									KafkaWorkQueues.topicOf(this.queue, level) + "-" + this.index,
									ConsumerConfig.MAX_POLL_RECORDS_CONFIG, this.prefetch,
									ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit",
									ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, SHARE_FETCH_MAX_WAIT_MS,
									ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit")),
					new StringDeserializer(), new ByteArrayDeserializer());
			consumer.subscribe(List.of(KafkaWorkQueues.topicOf(this.queue, level)));
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
	 * Its acknowledgements go with that consumer's next poll, which comes at once (the
	 * loop polls every level from the top down to the first with records), instead of in
	 * a request of their own: one request less per batch for the broker, and no round
	 * trip the thread waits for. A level below one that had records was not polled this
	 * time, so what it still owes is sent on its own then.
	 */
	private void pollOnce() {
		int top = this.levels.size() - 1;
		for (int level = top; level >= 0; level--) {
			KafkaShareConsumer<String, byte[]> consumer = this.levels.get(level);
			ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout(level, top));
			this.owesAcknowledgements[level] = false;
			this.hadRecords[level] = !records.isEmpty();
			if (!records.isEmpty()) {
				this.quiet = false;
				// The broker's lock on the records of a poll runs from now.
				Instant holdUntil = Instant.now().plus(KafkaWorkQueues.MAX_TOTAL_BACKOFF);
				this.givenBack = false;
				for (ConsumerRecord<String, byte[]> record : records) {
					consumer.acknowledge(record, (this.running && !this.givenBack) ? deliver(record, level, holdUntil)
							: AcknowledgeType.RELEASE);
				}
				if (this.givenBack) {
					// The infrastructure is away: give the records back now, and take
					// no more until it is back (each delivery counts towards the
					// broker's limit).
					Thread.interrupted();
					consumer.commitSync(KafkaWorkQueues.SHUTDOWN_TIMEOUT);
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
		if (level > 0 && this.hadRecords[level]) {
			return DRAINING_LEVEL_POLL;
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
			message = KafkaWorkQueues.decode(record, level);
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
		ProducerRecord<String, byte[]> letter = new ProducerRecord<>(this.queue.deadLetterName(), null, record.key(),
				record.value(), record.headers());
		Headers headers = letter.headers();
		KafkaWorkQueues.put(headers, DeadLetterHeaders.REASON, dead.reason());
		KafkaWorkQueues.put(headers, DeadLetterHeaders.ERROR, dead.error());
		KafkaWorkQueues.put(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(dead.attempts()));
		KafkaWorkQueues.put(headers, DeadLetterHeaders.ORIGIN, record.topic());
		try {
			this.producer.send(letter).get(30, TimeUnit.SECONDS);
			DeadLetterCount.record(this.queue.deadLetterName(), dead.reason());
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
