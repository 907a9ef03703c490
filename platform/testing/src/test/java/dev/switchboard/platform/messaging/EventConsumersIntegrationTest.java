package dev.switchboard.platform.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.google.protobuf.StringValue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestEvents;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer side of the platform against a real broker and database: the records of a
 * poll share one transaction, and a bad record costs nobody else their effect. Every
 * record is published before the application starts, so the first poll returns them all.
 */
@SpringBootTest(classes = EventConsumersIntegrationTest.App.class,
		properties = { "spring.application.name=consumers-test", "server.port=0", "spring.flyway.enabled=false",
				// A short budget for records that keep failing, so an outage outlasts it.
				"switchboard.messaging.retry-budget=1s" })
class EventConsumersIntegrationTest {

	static final String TOPIC = "consumers.test";

	static final String GROUP = "consumers-test.recorder";

	/** A topic nobody has created when the application starts. */
	static final String LATE_TOPIC = "consumers.test.not-yet-created";

	/** Values the subscription to {@link #LATE_TOPIC} has applied. */
	static final Set<String> lateApplied = ConcurrentHashMap.newKeySet();

	static final String TYPE = StringValue.getDescriptor().getFullName();

	/** Event ids by name, as published. */
	static final Map<String, String> ids = new ConcurrentHashMap<>();

	/** Values whose handler has failed once already. */
	static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

	/**
	 * When the handler first met the record that finds the database away
	 * (System.nanoTime), 0 before.
	 */
	static final java.util.concurrent.atomic.AtomicLong outageSince = new java.util.concurrent.atomic.AtomicLong();

	/**
	 * How long that record's "database" stays away: longer than the four failures
	 * (retried as the fetch wait allows, every 2 s) that use up the retry budget.
	 */
	static final Duration OUTAGE = Duration.ofSeconds(10);

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		SharedInfrastructure.register(registry, "consumers");
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
		}
		List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			records.add(event("v-" + i));
		}
		records.add(record("malformed", TYPE, new byte[] { (byte) 0xFF, (byte) 0xFF }));
		records.add(event("fail-once-11"));
		records.add(record("again-v-3", ids.get("v-3"), TYPE, StringValue.of("v-3").toByteArray()));
		records.add(event("skip-13"));
		for (int i = 14; i < 20; i++) {
			records.add(event("v-" + i));
		}
		records.add(record("unknown-type", "switchboard.test.NobodyHandlesThis", StringValue.of("x").toByteArray()));
		// A later revision that only added fields: this reader (revision 1) reads it.
		records.add(withSchema(event("v-20"), TYPE + ":2?readable-from=1"));
		// A revision after a breaking change: refused, not guessed at.
		records.add(withSchema(event("too-new"), TYPE + ":3?readable-from=3"));
		records.add(event("outage-22"));
		records.add(event("keeps-failing-23"));
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()), new StringSerializer(),
				new ByteArraySerializer())) {
			for (ProducerRecord<String, byte[]> record : records) {
				producer.send(record);
			}
			producer.flush();
		}
	}

	private static ProducerRecord<String, byte[]> event(String value) {
		return record(value, TYPE, StringValue.of(value).toByteArray());
	}

	private static ProducerRecord<String, byte[]> withSchema(ProducerRecord<String, byte[]> record, String revision) {
		record.headers().add(CloudEventHeaders.DATA_SCHEMA, ("urn:switchboard:schema:" + revision).getBytes());
		return record;
	}

	private static ProducerRecord<String, byte[]> record(String name, String type, byte[] payload) {
		return record(name, UUID.randomUUID().toString(), type, payload);
	}

	private static ProducerRecord<String, byte[]> record(String name, String id, String type, byte[] payload) {
		ids.put(name, id);
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, "key", payload);
		CloudEventHeaders.write(record.headers(), id, type, "test", Instant.now(), "key");
		return record;
	}

	@Test
	void recordsOfAPollShareATransactionAndABadRecordCostsNoOtherRecordItsEffect() {
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			expected.add((i < 10 || i >= 14) ? "v-" + i : null);
		}
		expected.set(11, "fail-once-11");
		expected.add("v-20");
		expected.add("outage-22");
		List<String> wanted = expected.stream().filter((v) -> v != null).toList();

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(
					() -> assertThat(this.jdbc.queryForList("SELECT value FROM effects ORDER BY seq", String.class))
						.containsExactlyElementsOf(wanted));

		// The ten records before the malformed one were applied in one transaction.
		assertThat(this.jdbc.queryForObject(
				"SELECT count(DISTINCT tx) FROM effects WHERE value IN ('v-0','v-1','v-2','v-3','v-4','v-5','v-6','v-7','v-8','v-9')",
				Integer.class))
			.isOne();
		// The failing record spoiled its batch once, then went through on its own.
		assertThat(failedOnce).containsExactly("fail-once-11");
		// The record that met an outage longer than the retry budget waited it out:
		// applied, not dead-lettered (the dead letters below are the malformed and the
		// too-new ones).
		assertThat(outageSince.get()).isPositive();
		// Records the subscription turns down never reach the database, not even the
		// inbox.
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM platform.inbox WHERE message_id IN (?, ?)",
				Integer.class, ids.get("skip-13"), ids.get("unknown-type")))
			.isZero();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.records(TOPIC + "." + GROUP + ".dlt").size() == 3);
		List<ConsumerRecord<String, byte[]>> dead = TestEvents.records(TOPIC + "." + GROUP + ".dlt");
		assertThat(dead).hasSize(3);
		assertThat(header(dead.getFirst(), CloudEventHeaders.ID)).isEqualTo(ids.get("malformed"));
		assertThat(header(dead.getFirst(), "kafka_dlt-exception-message"))
			.isEqualTo("payload is not a valid google.protobuf.StringValue");
		assertThat(header(dead.getFirst(), "kafka_dlt-exception-fqcn"))
			.isEqualTo(MalformedEventException.class.getName());
		assertThat(header(dead.getFirst(), "kafka_dlt-original-offset")).isNotEmpty();
		// A record failing through its own fault is dead-lettered once the budget is
		// spent; the longer outage above was not.
		assertThat(header(dead.getLast(), CloudEventHeaders.ID)).isEqualTo(ids.get("keeps-failing-23"));
		assertThat(header(dead.get(1), CloudEventHeaders.ID)).isEqualTo(ids.get("too-new"));
		assertThat(header(dead.get(1), "kafka_dlt-exception-message")).isEqualTo(
				"google.protobuf.StringValue revision 3 needs a reader of revision 3 or later; this consumer is built with revision 1");
	}

	@Test
	void aReaderThatStartsBeforeItsWriterCreatesTheTopicAndReadsWhatIsWrittenLater() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
			assertThat(admin.describeTopics(List.of(LATE_TOPIC)).allTopicNames().get().get(LATE_TOPIC).partitions())
				.hasSize(Topics.PARTITIONS);
		}
		String value = "written-after-start-" + UUID.randomUUID();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()), new StringSerializer(),
				new ByteArraySerializer())) {
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(LATE_TOPIC, "key",
					StringValue.of(value).toByteArray());
			CloudEventHeaders.write(record.headers(), UUID.randomUUID().toString(), TYPE, "test", Instant.now(), "key");
			producer.send(record).get();
		}
		// Well within the consumer's metadata refresh (five minutes): without the topic
		// created at start, the consumer would not know of it before then.
		await().atMost(Duration.ofSeconds(30)).until(() -> lateApplied.contains(value));
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		var header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value()) : null;
	}

	@SpringBootApplication
	static class App {

		@Bean
		EventSubscription recorder(JdbcTemplate jdbc) {
			jdbc.execute("CREATE TABLE effects (seq bigserial PRIMARY KEY, value text NOT NULL, tx bigint NOT NULL)");
			return EventSubscription.named("recorder")
				.topics(TOPIC)
				.on(StringValue.getDefaultInstance(), (event) -> !event.getValue().startsWith("skip"), (e, event) -> {
					jdbc.update("INSERT INTO effects (value, tx) VALUES (?, txid_current())", event.getValue());
					if (event.getValue().startsWith("fail-once") && failedOnce.add(event.getValue())) {
						throw new IllegalStateException("failing once on purpose");
					}
					if (event.getValue().startsWith("keeps-failing")) {
						// The record's own fault: the budget applies.
						throw new IllegalStateException("this record cannot be applied (on purpose)");
					}
					if (event.getValue().startsWith("outage")) {
						outageSince.compareAndSet(0, System.nanoTime());
						if (System.nanoTime() - outageSince.get() < OUTAGE.toNanos()) {
							throw new org.springframework.dao.DataAccessResourceFailureException(
									"the database is away (on purpose)");
						}
					}
				})
				.build();
		}

		@Bean
		EventSubscription late() {
			return EventSubscription.named("late")
				.topics(LATE_TOPIC)
				.on(StringValue.getDefaultInstance(), (e, event) -> lateApplied.add(event.getValue()))
				.build();
		}

	}

}
