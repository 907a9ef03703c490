package dev.switchboard.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.contracts.saga.v1.StepReply;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.Api.order;
import static dev.switchboard.e2e.Api.post;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events and work queues between the services: redeliveries change nothing, a consumer
 * killed mid-handler does its work once, one trace follows an order everywhere, and a
 * projection rebuilt from the stream agrees.
 */
@PlatformTest
@Order(2)
class MessagingIT {

	@Test
	@Order(100)
	void aRedeliveredEventChangesNothing() throws Exception {
		String id = place("SKU-0010", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(id);
		// Emails are sent from a queue, after the order is terminal: wait for all three.
		await().atMost(TERMINAL).until(() -> get(api + "/orders/" + id + "/notifications").json().size() == 3);
		int notifications = get(api + "/orders/" + id + "/notifications").json().size();
		JsonNode summary = get(api + "/analytics/summary").json();

		ConsumerRecord<String, byte[]> created = findOrderCreated(id);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(platform.kafkaClient(Map.of()),
				new StringSerializer(), new ByteArraySerializer())) {
			producer
				.send(new ProducerRecord<>(created.topic(), null, created.key(), created.value(), created.headers()))
				.get();
		}
		// The same event id is seen by every consumer: a marker order placed after it
		// completes only once they all moved past the duplicate (one partition per key,
		// in order).
		String marker = place("SKU-0011", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(marker);
		await().atMost(TERMINAL)
			.until(() -> get(api + "/analytics/summary").json()
				.get("ordersCreated")
				.asLong() == summary.get("ordersCreated").asLong() + 1);

		assertThat(get(api + "/orders/" + id + "/notifications").json()).hasSize(notifications);
		assertThat(payment(id).get("status").asText()).isEqualTo("APPROVED");
		assertThat(get(api + "/orders/" + id).json().get("status").asText()).isEqualTo("COMPLETED");
	}

	@Test
	@Order(107)
	void anEmailHeldByAConsumerKilledMidHandlerIsSentOnceByTheRestartedService() throws Exception {
		String dir = dataDir.toString();
		String queue = Queues.NOTIFICATION_EMAILS.name();
		// Every email job now waits a minute in its handler, held and unacknowledged.
		switchboard("fault", "notification", "--latency", "60s", "--route", "queue:" + queue, "--for", "180s",
				"--data-dir", dir);
		long pid = platform.pid("notification");
		String id = place("SKU-0013", 1, "tok_chargeDeclined", "US", "CANCELLED");
		await().atMost(TERMINAL)
			.until(() -> delayedCalls(switchboard("fault", "notification", "--show", "--data-dir", dir)) >= 1);

		switchboard("kill", "notification", "--data-dir", dir);
		await().atMost(TERMINAL).until(() -> platform.pid("notification") != pid);
		awaitEveryServiceUp();

		// The broker hands the held jobs to the restarted service (whose fault died with
		// the old process): each email is sent, and only once.
		await().atMost(Duration.ofSeconds(120))
			.untilAsserted(() -> assertThat(get(api + "/orders/" + id + "/notifications").json())
				.extracting((n) -> n.get("kind").asText())
				.containsExactlyInAnyOrder("ORDER_RECEIVED", "ORDER_CANCELLED"));
		try (var mails = java.nio.file.Files.list(dataDir.resolve("mail"))) {
			assertThat(mails.filter((mail) -> {
				try {
					return java.nio.file.Files.readString(mail).contains("X-Switchboard-Order: " + id);
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).count()).isEqualTo(2);
		}
	}

	@Test
	@Order(108)
	void oneTraceFollowsAnOrderFromTheGatewayThroughEveryServiceAndBroker() {
		String traceId = HexFormat.of().formatHex(randomBytes(16));
		String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
		Api.Response created = post(api + "/orders", "application/json", order("SKU-0008", 1, "tok_visa", "US"),
				"traceparent", traceparent);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String id = created.json().get("orderId").asText();
		expected.put(id, "COMPLETED");
		assertThat(awaitTerminal(id).get("status").asText()).isEqualTo("COMPLETED");

		// Written by the order service (inside the gRPC call, then in its saga), by
		// payment (handling a command from the work queue), by inventory and shipping
		// (handling commands from topics): every one of them in the caller's trace.
		// (With up --edge order-payment=grpc, payment answers the charge's call instead,
		// and writes no reply.)
		String reply = StepReply.getDescriptor().getFullName();
		Set<String> writers = new java.util.HashSet<>(Set.of("order " + OrderCreated.getDescriptor().getFullName(),
				"order " + OrderCompleted.getDescriptor().getFullName(), "inventory " + reply, "shipping " + reply));
		if (!args.contains("order-payment=grpc")) {
			writers.add("payment " + reply);
		}
		Map<String, String> traceOf = new HashMap<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				platform.kafkaClient(Map.of("group.id", "e2e-trace-" + id, "auto.offset.reset", "earliest")),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(Set.of(Topics.ORDER_EVENTS, Topics.SAGA_REPLIES));
			long deadline = System.nanoTime() + TERMINAL.toNanos();
			while (!traceOf.keySet().containsAll(writers) && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					if (id.equals(record.key())) {
						traceOf.put(header(record, "ce_source") + " " + header(record, "ce_type"),
								header(record, "traceparent"));
					}
				}
			}
		}
		assertThat(traceOf).containsKeys(writers.toArray(String[]::new))
			.allSatisfy((writer, written) -> assertThat(written).as(writer).startsWith("00-" + traceId + "-"));

		// And a reader of the logs follows it too: every service that handled the order
		// wrote a line about it in that trace, a JSON object naming the service, the
		// trace and the order, and switchboard logs --order finds them all (README,
		// "Following an order through the logs").
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			List<JsonNode> lines = switchboard("logs", "--order", id, "--json", "--data-dir", dataDir.toString())
				.lines()
				.map(Api.JSON::readTree)
				.toList();
			assertThat(Set.of("order", "payment", "inventory", "shipping", "notification", "analytics"))
				.allSatisfy((service) -> assertThat(lines).as(service).anySatisfy((line) -> {
					assertThat(line.path("service").path("name").asString()).isEqualTo(service);
					assertThat(line.path("traceId").asString()).isEqualTo(traceId);
					assertThat(line.path("message").asString()).contains(id);
				}));
			assertThat(lines).as("the lines written while handling a message about the order")
				.anySatisfy((line) -> assertThat(line.path("orderId").asString()).isEqualTo(id));
		});
	}

	@Test
	@Order(120)
	void analyticsRebuiltFromTheStreamHasTheSameTotals() {
		// Every order the platform has, whichever test placed it, has ended and been
		// counted: the totals no longer move.
		await().atMost(TERMINAL).until(() -> ordersStillOpen() == 0);
		await().atMost(TERMINAL)
			.until(() -> get(api + "/analytics/summary").json().get("ordersCreated").asLong() == ordersStored());
		JsonNode before = get(api + "/analytics/summary").json();

		Api.Response refused = post(internal("analytics", "/admin/rebuild"), "application/json", "");
		assertThat(refused.status()).as("a rebuild without the admin token").isEqualTo(401);
		Api.Response rebuild = post(internal("analytics", "/admin/rebuild"), "application/json", "", "Authorization",
				"Bearer " + platform.adminToken());

		assertThat(rebuild.status()).isEqualTo(200);
		await().atMost(TERMINAL)
			.untilAsserted(() -> assertThat(get(api + "/analytics/summary").json()).isEqualTo(before));
	}

	/** Orders the order service stores. */
	private static long ordersStored() throws java.sql.SQLException {
		return count("SELECT count(*) FROM orders");
	}

	/** Orders not yet completed or cancelled. */
	private static long ordersStillOpen() throws java.sql.SQLException {
		return count("SELECT count(*) FROM orders WHERE status NOT IN ('COMPLETED', 'CANCELLED')");
	}

	private static long count(String query) throws java.sql.SQLException {
		try (java.sql.Connection db = platform.connectToDatabase("order");
				java.sql.ResultSet rows = db.createStatement().executeQuery(query)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private static ConsumerRecord<String, byte[]> findOrderCreated(String orderId) {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				platform.kafkaClient(Map.of("group.id", "e2e-" + orderId, "auto.offset.reset", "earliest")),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(Set.of(Topics.ORDER_EVENTS));
			long deadline = System.nanoTime() + TERMINAL.toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					String type = new String(record.headers().lastHeader("ce_type").value());
					if (orderId.equals(record.key()) && type.equals(OrderCreated.getDescriptor().getFullName())) {
						return record;
					}
				}
			}
		}
		throw new AssertionError("OrderCreated of " + orderId + " not found on " + Topics.ORDER_EVENTS);
	}

	private static byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

	private static long delayedCalls(String shown) {
		Matcher delayed = Pattern.compile("\"delayedCalls\"\\s*:\\s*(\\d+)").matcher(shown);
		return delayed.find() ? Long.parseLong(delayed.group(1)) : 0;
	}

}
