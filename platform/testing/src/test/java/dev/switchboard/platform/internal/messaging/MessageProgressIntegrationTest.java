package dev.switchboard.platform.internal.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import com.google.protobuf.StringValue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.platform.messaging.EventSubscription;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a service answers when a saga asks where it is with a message: unseen while it
 * waits in the topic, in progress while a handler holds it, done once applied, and
 * whether output written by then still waits in the outbox.
 */
@SpringBootTest(classes = MessageProgressIntegrationTest.App.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=progress-test", "spring.flyway.enabled=false",
				"switchboard.admin.token=s3cret",
				// The relay sends what a transaction wakes it for; a row written behind
				// its back stays until this long poll comes round.
				"switchboard.outbox.poll-interval=1h" })
class MessageProgressIntegrationTest {

	static final String TOPIC = "progress.test";

	static final String TYPE = StringValue.getDescriptor().getFullName();

	static final CountDownLatch held = new CountDownLatch(1);

	static final CountDownLatch release = new CountDownLatch(1);

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		SharedInfrastructure.register(registry, "progress");
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
		}
	}

	@AfterEach
	void releaseTheHandler() {
		release.countDown();
	}

	@Test
	void aMessageIsUnseenThenInProgressWhileHandledThenDoneWithItsOutputSentOrNot() throws Exception {
		String id = UUID.randomUUID().toString();
		assertThat(status(id).get("state").asString()).isEqualTo("UNSEEN");

		publish(id, "hold");
		assertThat(held.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		JsonNode handling = status(id);
		assertThat(handling.get("state").asString()).isEqualTo("IN_PROGRESS");
		Instant startedAt = Instant.parse(handling.get("since").asString());
		assertThat(startedAt).isBefore(Instant.now().plusSeconds(1));

		release.countDown();
		await().atMost(Duration.ofSeconds(30)).until(() -> status(id).get("state").asString().equals("DONE"));
		JsonNode done = status(id);
		assertThat(done.get("outputPending").asBoolean()).isFalse();

		// Something written before the message was applied and not sent yet: its answer
		// may be among it, so the answer is late, not lost.
		Instant appliedAt = Instant.parse(done.get("since").asString());
		this.jdbc.update("""
				INSERT INTO platform.outbox (id, topic, record_key, type, payload, created_at)
				VALUES (?, 'progress.unsent', 'k', ?, ?, ?)""", UUID.randomUUID(), TYPE, new byte[0],
				Timestamp.from(appliedAt.minusMillis(1)));
		try {
			assertThat(status(id).get("outputPending").asBoolean()).isTrue();
		}
		finally {
			this.jdbc.update("DELETE FROM platform.outbox WHERE topic = 'progress.unsent'");
		}
	}

	@Test
	void tooManyIdsAreRefusedWithAProblem() throws Exception {
		StringBuilder ids = new StringBuilder();
		for (int i = 0; i <= MessageStatusController.MAX_IDS; i++) {
			ids.append(i == 0 ? "" : ",").append('"').append(i).append('"');
		}
		HttpResponse<String> response = post("{\"ids\":[" + ids + "]}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

	private JsonNode status(String id) throws Exception {
		HttpResponse<String> response = post("{\"ids\":[\"" + id + "\"]}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode message = this.json.readTree(response.body()).get("messages").get(0);
		assertThat(message.get("id").asString()).isEqualTo(id);
		return message;
	}

	private HttpResponse<String> post(String body) throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/internal/messages/status"))
					.header("Content-Type", "application/json")
					.header("Authorization", "Bearer s3cret")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
		}
	}

	private static void publish(String id, String value) throws Exception {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()), new StringSerializer(),
				new ByteArraySerializer())) {
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, "key",
					StringValue.of(value).toByteArray());
			CloudEventHeaders.write(record.headers(), id, TYPE, "test", Instant.now(), "key");
			producer.send(record).get();
		}
	}

	@SpringBootApplication
	static class App {

		@Bean
		EventSubscription holder() {
			return EventSubscription.named("holder").topics(TOPIC).on(StringValue.getDefaultInstance(), (e, event) -> {
				held.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}).build();
		}

	}

}
