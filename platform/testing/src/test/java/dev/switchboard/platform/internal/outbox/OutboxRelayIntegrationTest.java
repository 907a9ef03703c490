package dev.switchboard.platform.internal.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.google.protobuf.StringValue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.switchboard.platform.internal.tracing.MessageTracing;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestEvents;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = OutboxRelayIntegrationTest.App.class,
		properties = { "spring.application.name=outbox-test", "server.port=0", "spring.flyway.enabled=false" })
class OutboxRelayIntegrationTest {

	static final String TOPIC = "outbox.test";

	static final String LOCK_TOPIC = "outbox.test.lock";

	static final String DEFERRED_TOPIC = "outbox.test.deferred";

	static final String DEAD_TOPIC = "outbox.test.dead";

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	OutboxRelay relay;

	@Autowired
	org.springframework.kafka.core.KafkaTemplate<String, byte[]> kafka;

	@Autowired
	org.springframework.beans.factory.ObjectProvider<dev.switchboard.platform.queue.WorkQueues> workQueues;

	@Autowired
	OutboxProperties properties;

	@Autowired
	DeadOutbox deadOutbox;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		SharedInfrastructure.register(registry, "outbox");
		TestEvents.createTopics(TOPIC, LOCK_TOPIC, DEFERRED_TOPIC, DEAD_TOPIC);
	}

	@Test
	void everyCommittedEventIsPublishedOnceAndInOrderPerKeyEvenWhenWritersCommitOutOfSequenceOrder() throws Exception {
		int writers = 8;
		int perWriter = 150;
		List<Callable<Void>> jobs = new ArrayList<>();
		for (int w = 0; w < writers; w++) {
			// Each writer is one order's history: its events under its key, one after
			// another, while the other writers commit theirs concurrently.
			String key = "order-" + w + "-" + UUID.randomUUID();
			jobs.add(() -> {
				for (int i = 0; i < perWriter; i++) {
					int sequence = i;
					this.transactions.executeWithoutResult(
							(status) -> this.outbox.add(TOPIC, key, StringValue.of(Integer.toString(sequence))));
				}
				return null;
			});
		}
		try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
			for (Future<Void> job : pool.invokeAll(jobs)) {
				job.get();
			}
		}

		Set<String> ids = new HashSet<>();
		Map<String, List<Integer>> sequencesByKey = new HashMap<>();
		int records = 0;
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers(), "group.id",
						"outbox-test-reader", "auto.offset.reset", "earliest"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(TOPIC));
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (ids.size() < writers * perWriter && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					records++;
					ids.add(new String(record.headers().lastHeader("ce_id").value()));
					sequencesByKey.computeIfAbsent(record.key(), (k) -> new ArrayList<>())
						.add(Integer.parseInt(StringValue.parseFrom(record.value()).getValue()));
				}
			}
		}
		assertThat(ids).hasSize(writers * perWriter);
		assertThat(records).isEqualTo(writers * perWriter);
		List<Integer> inOrder = java.util.stream.IntStream.range(0, perWriter).boxed().toList();
		assertThat(sequencesByKey).hasSize(writers)
			.allSatisfy((key, sequences) -> assertThat(sequences).as(key).isEqualTo(inOrder));
		// Published rows are deleted together, within the delete delay.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM platform.outbox", Integer.class) == 0);
	}

	@Test
	void publishedRowsWaitForOneDeleteTogetherAndAreNotPublishedAgainMeanwhile() throws Exception {
		this.relay.stop();
		io.micrometer.core.instrument.simple.SimpleMeterRegistry relayMeters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		OutboxRelay relay = new OutboxRelay(this.jdbc.getDataSource(), this.kafka, this.workQueues, "outbox-test",
				withDeleteDelay(Duration.ofHours(1)), relayMeters, MessageTracing.none());
		String key = "deferred-" + UUID.randomUUID();
		try {
			this.transactions
				.executeWithoutResult((status) -> this.outbox.add(DEFERRED_TOPIC, key, StringValue.of("1")));
			relay.relayPass();
			this.transactions
				.executeWithoutResult((status) -> this.outbox.add(DEFERRED_TOPIC, key, StringValue.of("2")));
			relay.relayPass();
			relay.relayPass();

			assertThat(rowsOf(key)).isEqualTo(2);
			assertThat(TestEvents.read(DEFERRED_TOPIC, key, StringValue.getDefaultInstance()))
				.extracting(StringValue::getValue)
				.containsExactly("1", "2");
			assertThat(relayMeters.get(OutboxRelay.DELAY_METER).timer().count())
				.as("each row's commit-to-acknowledgement delay, once")
				.isEqualTo(2);
			assertThat(this.meters.get(DeadOutbox.BACKLOG_METRIC).gauge().value())
				.as("published, not deleted yet: still in the outbox")
				.isGreaterThanOrEqualTo(2);
		}
		finally {
			relay.stop();
			this.relay.start();
		}
		assertThat(rowsOf(key)).isZero();
	}

	@Test
	void aRelayLeavesTheRowsToTheInstanceHoldingTheRelayLock() throws Exception {
		// This context's relay steps aside (and gives up its lock); a second relay stands
		// for this service's relay, and a plain session for another instance's.
		this.relay.stop();
		OutboxRelay second = new OutboxRelay(this.jdbc.getDataSource(), this.kafka, this.workQueues, "outbox-test",
				withDeleteDelay(Duration.ZERO), this.meters, MessageTracing.none());
		try (java.sql.Connection other = this.jdbc.getDataSource().getConnection();
				java.sql.Statement statement = other.createStatement()) {
			statement.execute("SELECT pg_advisory_lock(" + 0x5357_4f55_5442_4f58L + ")");
			String key = "held-" + UUID.randomUUID();
			this.transactions
				.executeWithoutResult((status) -> this.outbox.add(LOCK_TOPIC, key, StringValue.of("waits")));

			assertThat(second.relayPass()).isFalse();
			assertThat(rowsOf(key)).isOne();

			statement.execute("SELECT pg_advisory_unlock_all()");
			second.relayPass();
			assertThat(rowsOf(key)).isZero();
		}
		finally {
			second.stop();
			this.relay.start();
		}
	}

	@Test
	void anotherInstancesCommitWakesTheRelayHoldingTheLockAtOnceWithoutPolling() {
		// This context stands for an instance whose relay does not hold the lock; the
		// second relay for the instance that does, and it would not poll for an hour.
		this.relay.stop();
		OutboxRelay second = new OutboxRelay(this.jdbc.getDataSource(), this.kafka, this.workQueues, "outbox-test",
				new OutboxProperties(Duration.ofHours(1), this.properties.batchSize(), this.properties.sendTimeout(),
						this.properties.retryBackoff(), Duration.ZERO),
				this.meters, MessageTracing.none());
		second.start();
		try {
			second.wakeUp();
			await().atMost(Duration.ofSeconds(10)).until(() -> second.holdsLock() && second.isListening());
			String key = "elsewhere-" + UUID.randomUUID();
			this.transactions
				.executeWithoutResult((status) -> this.outbox.add(LOCK_TOPIC, key, StringValue.of("notified")));

			await().atMost(Duration.ofSeconds(10)).until(() -> rowsOf(key) == 0);
		}
		finally {
			second.stop();
			this.relay.start();
		}
	}

	@Test
	void aRowTheBrokerRefusesForGoodIsSetAsideWithItsReasonAndTheRowsBehindItGoOut() {
		// Over the producer's 1 MB request limit: no retry will ever send it.
		String key = "too-large-" + UUID.randomUUID();
		String tooLarge = "x".repeat(2 * 1024 * 1024);
		this.transactions.executeWithoutResult((status) -> {
			this.outbox.add(DEAD_TOPIC, key, StringValue.of(tooLarge));
			this.outbox.add(DEAD_TOPIC, key, StringValue.of("behind it"));
		});

		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(DEAD_TOPIC, key, StringValue.getDefaultInstance()).size() == 1);
		assertThat(TestEvents.read(DEAD_TOPIC, key, StringValue.getDefaultInstance())).extracting(StringValue::getValue)
			.containsExactly("behind it");
		await().atMost(Duration.ofSeconds(10)).until(() -> rowsOf(key) == 0);
		assertThat(this.jdbc.queryForList("SELECT reason FROM platform.dead_outbox WHERE record_key = ?", String.class,
				key))
			.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
			.startsWith("RecordTooLargeException");
		assertThat(this.jdbc.queryForObject("SELECT length(payload) FROM platform.dead_outbox WHERE record_key = ?",
				Integer.class, key))
			.isGreaterThan(2 * 1024 * 1024);
		assertThat(this.deadOutbox.health().getDetails()).containsKey("deadRowsHint")
			.hasEntrySatisfying("deadRows", (dead) -> assertThat((Long) dead).isPositive());
		assertThat(this.meters.get(DeadOutbox.METRIC).gauge().value()).isPositive();
	}

	private int rowsOf(String key) {
		return this.jdbc.queryForObject("SELECT count(*) FROM platform.outbox WHERE record_key = ?", Integer.class,
				key);
	}

	private OutboxProperties withDeleteDelay(Duration delay) {
		return new OutboxProperties(this.properties.pollInterval(), this.properties.batchSize(),
				this.properties.sendTimeout(), this.properties.retryBackoff(), delay);
	}

	@Test
	void refusesToWriteOutsideATransaction() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.outbox.add(TOPIC, "k", StringValue.of("no transaction")));
	}

	@SpringBootApplication
	static class App {

	}

}
