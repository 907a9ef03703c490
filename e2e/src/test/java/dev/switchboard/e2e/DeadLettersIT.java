package dev.switchboard.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.Api.order;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What cannot be handled is set aside with its reason, and {@code switchboard dlq} lists,
 * shows, replays and purges it: Kafka dead-letter topics, work queues on Kafka and
 * RabbitMQ, and the outbox.
 */
@PlatformTest
@Order(3)
class DeadLettersIT {

	@Test
	@Order(105)
	void aDeadLetteredRecordCanBeInspectedReplayedAndPurged() throws Exception {
		String channel = Topics.SAGA_REPLIES + ".order.saga-replies";
		String orderId = java.util.UUID.randomUUID().toString();
		String eventId = java.util.UUID.randomUUID().toString();
		// A reply about an order nobody placed can never apply: dead-lettered at once.
		publishRaw(Topics.SAGA_REPLIES, orderId, eventId, StepReply.getDescriptor().getFullName(),
				StepReply.newBuilder()
					.setOrderId(orderId)
					.setStep(SagaStep.CHARGE)
					.setSucceeded(true)
					.build()
					.toByteArray());
		String dir = dataDir.toString();

		String firstOrigin = await().atMost(TERMINAL)
			.until(() -> origin(switchboard("dlq", "show", channel, "--limit", "1000", "--data-dir", dir), eventId),
					(o) -> o != null);
		String shown = switchboard("dlq", "show", channel, "--limit", "1000", "--data-dir", dir);
		assertThat(shown).contains("subject  " + orderId)
			.contains("type     " + StepReply.getDescriptor().getFullName());
		assertThat(switchboard("dlq", "list", "--data-dir", dir)).contains(channel);

		// Replayed, it is read again, still cannot apply, and comes back as a new record.
		assertThat(switchboard("dlq", "replay", channel, "--data-dir", dir)).contains("replayed")
			.contains(Topics.SAGA_REPLIES);
		await().atMost(TERMINAL).until(() -> {
			String again = switchboard("dlq", "show", channel, "--limit", "1000", "--data-dir", dir);
			String origin = origin(again, eventId);
			return origin != null && !origin.equals(firstOrigin) && again.split(eventId, -1).length == 2;
		});

		assertThat(switchboard("dlq", "purge", channel, "--data-dir", dir)).contains("purged");
		assertThat(switchboard("dlq", "show", channel, "--data-dir", dir)).containsPattern("(?m)^0 records$");
	}

	@Test
	@Order(106)
	void aWorkQueueDeadLettersAMessageOfATypeNobodyHandlesAndKeepsGoing() throws Exception {
		String queue = Queues.PAYMENT_COMMANDS.name();
		String orderId = java.util.UUID.randomUUID().toString();
		String eventId = java.util.UUID.randomUUID().toString();
		publishRaw(queue, orderId, eventId, "switchboard.saga.v1.ChargeTwice", new byte[] { 1, 2, 3 });
		String dir = dataDir.toString();

		String shown = await().atMost(TERMINAL)
			.until(() -> switchboard("dlq", "show", queue, "--limit", "1000", "--data-dir", dir),
					(text) -> text.contains(eventId));
		assertThat(shown).contains("from     queue " + queue)
			.contains("attempts 1")
			.contains("reason   malformed")
			.contains("no handler for switchboard.saga.v1.ChargeTwice");
		// The consumers kept going: an order placed now is still charged.
		String after = place("SKU-0011", 1, "tok_visa", "US", "COMPLETED");
		assertThat(awaitTerminal(after).get("status").asText()).isEqualTo("COMPLETED");
		assertThat(switchboard("dlq", "purge", queue, "--data-dir", dir)).contains("purged");
	}

	@Test
	@Order(109)
	void emailJobsOnRabbitMQDeadLetterWhatNobodyHandlesAndTheCliInspectsReplaysAndPurgesThem() throws Exception {
		Assumptions.assumeTrue(emailsOnRabbitmq, "no RabbitMQ: the emails of this run are on Kafka");
		String queue = Queues.NOTIFICATION_EMAILS.name();
		String orderId = java.util.UUID.randomUUID().toString();
		String messageId = java.util.UUID.randomUUID().toString();
		try (Connection connection = rabbitmq(RABBITMQ); Channel channel = connection.createChannel()) {
			channel.basicPublish("", queue,
					new AMQP.BasicProperties.Builder().messageId(messageId)
						.priority(Queues.TRANSACTIONAL)
						.headers(Map.of("ce_id", messageId, "ce_type", "switchboard.notification.v1.SendFax",
								"ce_subject", orderId, "ce_time", Instant.now().toString(), "ce_specversion", "1.0"))
						.build(),
					new byte[] { 1, 2, 3 });
		}
		String dir = dataDir.toString();

		String shown = await().atMost(TERMINAL)
			.until(() -> switchboard("dlq", "show", queue, "--limit", "1000", "--data-dir", dir),
					(text) -> text.contains(messageId));
		assertThat(shown).contains("RabbitMQ queue " + Queues.NOTIFICATION_EMAILS.deadLetterName())
			.contains("from     queue " + queue)
			.contains("reason   malformed")
			.contains("no handler for switchboard.notification.v1.SendFax");
		assertThat(switchboard("dlq", "list", "--data-dir", dir))
			.containsPattern(Pattern.quote(queue) + "\\s+rabbitmq\\s+1");
		// Emails go on: an order placed now is still emailed.
		String after = place("SKU-0014", 1, "tok_visa", "US", "COMPLETED");
		await().atMost(TERMINAL)
			.untilAsserted(() -> assertThat(get(api + "/orders/" + after + "/notifications").json())
				.extracting((n) -> n.get("kind").asText())
				.contains("ORDER_RECEIVED", "ORDER_SHIPPED"));

		// Replayed, it is taken again, still has no handler, and is back: once.
		assertThat(switchboard("dlq", "replay", queue, "--data-dir", dir)).contains("replayed 1 record of " + queue);
		await().atMost(TERMINAL).until(() -> {
			String again = switchboard("dlq", "show", queue, "--limit", "1000", "--data-dir", dir);
			return again.split(messageId, -1).length == 2 && again.contains("reason   malformed");
		});

		assertThat(switchboard("dlq", "purge", queue, "--data-dir", dir)).contains("purged 1 record from " + queue);
		assertThat(switchboard("dlq", "show", queue, "--data-dir", dir)).containsPattern("(?m)^0 records ");
	}

	@Test
	@Order(110)
	void anOutboxRowSetAsideIsListedShownAndReplayedByTheDlqCommand() throws Exception {
		// As the order service's relay sets aside a row the broker refuses for good. The
		// public API cannot make one any more (sizes are checked in every service), so it
		// is planted: an event of a type nobody handles, which its readers skip.
		String eventId = java.util.UUID.randomUUID().toString();
		try (java.sql.Connection db = platform.connectToDatabase("order");
				java.sql.PreparedStatement plant = db.prepareStatement(
						"""
								INSERT INTO platform.dead_outbox (seq, id, kind, topic, record_key, type, payload, created_at,
								    priority, reason)
								VALUES (-1, ?::uuid, 'topic', ?, 'planted', 'switchboard.e2e.v1.Planted', '\\x0102'::bytea, now(), 0,
								    'RecordTooLargeException: planted by the test')""")) {
			plant.setString(1, eventId);
			plant.setString(2, Topics.ORDER_EVENTS);
			plant.executeUpdate();
		}
		String dir = dataDir.toString();

		assertThat(switchboard("dlq", "list", "--data-dir", dir)).containsPattern("outbox\\.order +postgres +1");
		assertThat(switchboard("dlq", "show", "outbox.order", "--data-dir", dir)).contains(eventId)
			.contains("reason: RecordTooLargeException: planted by the test")
			.containsPattern("(?m)^1 record$");
		assertThat(switchboard("dlq", "replay", "outbox.order", "--data-dir", dir)).contains("replayed 1 record");

		// Back in the outbox, the relay sends it like any other row.
		assertThat(findEvent(Topics.ORDER_EVENTS, "planted", eventId))
			.as("the replayed event on " + Topics.ORDER_EVENTS)
			.isTrue();
		assertThat(switchboard("dlq", "show", "outbox.order", "--data-dir", dir)).containsPattern("(?m)^0 records$");
		assertThat(switchboard("dlq", "purge", "outbox.order", "--data-dir", dir)).contains("purged 0 records");
	}

	private static boolean findEvent(String topic, String key, String eventId) {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				platform.kafkaClient(Map.of("group.id", "e2e-" + eventId, "auto.offset.reset", "earliest")),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + TERMINAL.toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					var id = record.headers().lastHeader("ce_id");
					if (key.equals(record.key()) && id != null && eventId.equals(new String(id.value()))) {
						return true;
					}
				}
			}
			return false;
		}
	}

	/**
	 * Publishes a record with a CloudEvents envelope, as a service outside the platform
	 * might.
	 */
	private static void publishRaw(String topic, String orderId, String eventId, String type, byte[] payload)
			throws Exception {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, orderId, payload);
		record.headers()
			.add("ce_id", eventId.getBytes())
			.add("ce_type", type.getBytes())
			.add("ce_source", "e2e".getBytes())
			.add("ce_specversion", "1.0".getBytes())
			.add("ce_time", Instant.now().toString().getBytes())
			.add("ce_subject", orderId.getBytes());
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(platform.kafkaClient(Map.of()),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.send(record).get();
		}
	}

	/**
	 * Where the dead-lettered record with this event id came from, as {@code dlq show}
	 * prints it.
	 */
	private static String origin(String shown, String eventId) {
		Matcher from = Pattern.compile("id\\s+" + Pattern.quote(eventId) + "\\s+subject\\s+\\S+\\s+from\\s+(\\S+)")
			.matcher(shown);
		return from.find() ? from.group(1) : null;
	}

}
