package dev.switchboard.platform.internal.queue.kafka;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.platform.queue.DeadLetterHeaders;
import dev.switchboard.platform.queue.QueueHandler;
import dev.switchboard.platform.queue.QueueMessage;
import dev.switchboard.platform.queue.WorkQueueBinding;
import dev.switchboard.platform.internal.queue.WorkQueueContract;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The work-queue contract on Kafka share groups, against an embedded broker. */
class KafkaWorkQueuesTest extends WorkQueueContract {

	private static KafkaWorkQueues binding;

	@BeforeAll
	static void connect() {
		binding = new KafkaWorkQueues(SharedInfrastructure.kafkaBootstrapServers(), "contract-test", 3);
	}

	@AfterAll
	static void disconnect() {
		binding.close();
	}

	/** A pure rule, here beside the binding it tunes. */
	@Test
	void aSenderAsksForTheBacklogOnlyWhenItsEstimateCouldBeNearTheLimit() {
		Duration old = Duration.ofSeconds(10);
		// Far from full: no admin requests however old the measurement is.
		assertThat(KafkaWorkQueues.measureBacklog(0, 10_000, old)).isFalse();
		assertThat(KafkaWorkQueues.measureBacklog(4_999, 10_000, old)).isFalse();
		// Past half the limit: other senders may have filled the rest; at most every 200
		// ms.
		assertThat(KafkaWorkQueues.measureBacklog(5_000, 10_000, old)).isTrue();
		assertThat(KafkaWorkQueues.measureBacklog(5_000, 10_000, Duration.ofMillis(50))).isFalse();
		// About to refuse: consumers may have made room; at most every 20 ms.
		assertThat(KafkaWorkQueues.measureBacklog(3, 3, Duration.ofMillis(50))).isTrue();
		assertThat(KafkaWorkQueues.measureBacklog(3, 3, Duration.ofMillis(5))).isFalse();
	}

	/**
	 * What no handler can catch: a consumer that dies holding the record, again and
	 * again. Here a raw share consumer releases it each time; after maxAttempts
	 * deliveries the broker moves it to the dead-letter topic itself (KIP-1191).
	 */
	@Test
	void aRecordDeliveredMaxAttemptsTimesWithoutAnAcknowledgementIsDeadLetteredByTheBroker() throws Exception {
		QueueSpec queue = QueueSpec.named("contract-crashloop-" + UUID.randomUUID().toString().substring(0, 8))
			.withMaxAttempts(3);
		binding.declare(queue);
		binding
			.send(queue,
					new QueueMessage("crash-" + UUID.randomUUID(), "test.Message", "order-1", Instant.now(),
							new byte[] { 1 }, 0, null, null, null))
			.get(30, TimeUnit.SECONDS);
		try (KafkaShareConsumer<String, byte[]> consumer = new KafkaShareConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, queue.name(), ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG,
						"explicit"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(queue.name()));
			int deliveries = 0;
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (deliveries < queue.maxAttempts() && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					consumer.acknowledge(record, AcknowledgeType.RELEASE);
					deliveries++;
				}
				consumer.commitSync();
			}
			assertThat(deliveries).isEqualTo(queue.maxAttempts());
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> !deadLetterRecords(queue).isEmpty());
		assertThat(deadLetterRecords(queue)).singleElement()
			.satisfies((record) -> assertThat(record.headers().toArray()).extracting(Header::key)
				.anyMatch((key) -> key.startsWith("__dlq.")));
	}

	/**
	 * Whatever escapes a consumer (here an error thrown by its handler, which the retries
	 * do not catch; in production a broker request timing out while the broker is away)
	 * does not end it: it is down and says why, then starts again and takes the message.
	 */
	@Test
	void aConsumerThatFailsIsReportedDownAndStartedAgain() throws Exception {
		QueueSpec queue = QueueSpec.named("contract-restart-" + UUID.randomUUID().toString().substring(0, 8));
		binding.declare(queue);
		AtomicInteger calls = new AtomicInteger();
		List<String> handled = new CopyOnWriteArrayList<>();
		String id = "restart-" + UUID.randomUUID();
		try (WorkQueueBinding.Consumers consumers = binding.consume(queue, 1, 1, (message, attempt) -> {
			if (calls.incrementAndGet() <= 2) {
				throw new AssertionError("handler blew up (" + calls.get() + ")");
			}
			handled.add(message.id());
		})) {
			binding
				.send(queue,
						new QueueMessage(id, "test.Message", "order-1", Instant.now(), new byte[] { 1 }, 0, null, null,
								null))
				.get(30, TimeUnit.SECONDS);

			List<String> down = await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(20))
				.until(consumers::failures, (failures) -> !failures.isEmpty());
			assertThat(down).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
				.contains("handler blew up");
			await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains(id));
			assertThat(consumers.restarts()).isEqualTo(2);
			await().atMost(Duration.ofSeconds(10)).until(() -> consumers.failures().isEmpty());
		}
	}

	/**
	 * An outage longer than the broker lets a consumer hold a record (its 30 s lock): the
	 * consumer gives the record back before the lock expires, takes nothing more until
	 * its handler says the infrastructure is back, then handles it, once; nothing is
	 * dead-lettered, and the record was delivered twice, well within the broker's limit.
	 */
	@Test
	void aRecordHeldThroughALongOutageIsGivenBackThenHandledOnceTheInfrastructureReturns() throws Exception {
		QueueSpec queue = QueueSpec.named("contract-long-outage-" + UUID.randomUUID().toString().substring(0, 8))
			.withMaxAttempts(3);
		binding.declare(queue);
		long outageEnds = System.nanoTime() + Duration.ofSeconds(26).toNanos();
		List<Integer> deliveries = new CopyOnWriteArrayList<>();
		List<String> handled = new CopyOnWriteArrayList<>();
		String id = "long-outage-" + UUID.randomUUID();
		QueueHandler handler = new QueueHandler() {

			@Override
			public void handle(QueueMessage message, int attempt) {
				if (attempt == 1) {
					deliveries.add(attempt);
				}
				if (System.nanoTime() < outageEnds) {
					throw new DataAccessResourceFailureException("the database is away (on purpose)");
				}
				handled.add(message.id());
			}

			@Override
			public boolean ready() {
				return System.nanoTime() >= outageEnds;
			}

		};
		try (WorkQueueBinding.Consumers consumers = binding.consume(queue, 1, 1, handler)) {
			binding
				.send(queue,
						new QueueMessage(id, "test.Message", "order-1", Instant.now(), new byte[] { 1 }, 0, null, null,
								null))
				.get(30, TimeUnit.SECONDS);

			await().atMost(Duration.ofSeconds(90)).until(() -> handled.contains(id));
			assertThat(handled).containsExactly(id);
			assertThat(deliveries).hasSize(2);
			assertThat(deadLetters(queue)).isEmpty();
		}
	}

	/**
	 * A consumer thread of a queue with priorities that finds nothing waits on its
	 * highest level, not going round its levels eight times a second; a message sent to a
	 * lower level meanwhile is still taken.
	 */
	@Test
	void aQuietConsumerWaitsOnItsHighestLevelAndStillTakesTheLowerOnes() throws Exception {
		QueueSpec queue = QueueSpec.named("contract-quiet-" + UUID.randomUUID().toString().substring(0, 8))
			.withPriorities(2);
		binding.declare(queue);
		List<String> handled = new CopyOnWriteArrayList<>();
		WorkQueueBinding.Consumers consumers = binding.consume(queue, 1, 1,
				(message, attempt) -> handled.add(message.id()));
		try {
			ObjectName topLevel = new ObjectName(
					"kafka.consumer:type=consumer-share-metrics,client-id=" + KafkaWorkQueues.topicOf(queue, 1) + "-0");
			// Going round both levels (30 + 100 ms) polled the highest one every 130 ms.
			await().atMost(Duration.ofSeconds(60)).until(() -> millisBetweenPolls(topLevel) >= 500);

			String low = "quiet-low-" + UUID.randomUUID();
			binding
				.send(queue,
						new QueueMessage(low, "test.Message", "order-1", Instant.now(), new byte[] { 1 }, 0, null, null,
								null))
				.get(30, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains(low));
		}
		finally {
			consumers.close();
		}
	}

	private static double millisBetweenPolls(ObjectName consumer) throws Exception {
		MBeanServer server = ManagementFactory.getPlatformMBeanServer();
		return server.isRegistered(consumer) ? (Double) server.getAttribute(consumer, "time-between-poll-avg") : 0;
	}

	@Override
	protected WorkQueueBinding binding() {
		return binding;
	}

	@Override
	protected List<DeadLetter> deadLetters(QueueSpec queue) {
		List<DeadLetter> letters = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : deadLetterRecords(queue)) {
			Headers headers = record.headers();
			String attempts = header(headers, DeadLetterHeaders.ATTEMPTS);
			letters.add(new DeadLetter(header(headers, CloudEventHeaders.ID), header(headers, DeadLetterHeaders.REASON),
					(attempts != null) ? Integer.parseInt(attempts) : 0, header(headers, DeadLetterHeaders.ORIGIN)));
		}
		return letters;
	}

	private static List<ConsumerRecord<String, byte[]>> deadLetterRecords(QueueSpec queue) {
		TopicPartition partition = new TopicPartition(queue.deadLetterName(), 0);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers()),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			long end = consumer.endOffsets(List.of(partition)).get(partition);
			List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
			while (consumer.position(partition) < end) {
				consumer.poll(Duration.ofMillis(500)).forEach(records::add);
			}
			return records;
		}
	}

	private static String header(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
