package dev.switchboard.platform.internal.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.protobuf.StringValue;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.queue.WorkQueueBinding;
import dev.switchboard.platform.queue.WorkQueues;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestEvents;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A full work queue pushes back into the outbox: what it refuses stays in the outbox and
 * goes once consumers have made room. Nothing is lost, nothing sent twice.
 */
@SpringBootTest(classes = OutboxQueueBackpressureIntegrationTest.App.class,
		properties = { "spring.application.name=backpressure-test", "server.port=0", "spring.flyway.enabled=false",
				// Small batches, so that a full queue's waiting rows can fill a whole
				// batch.
				"switchboard.outbox.batch-size=2" })
class OutboxQueueBackpressureIntegrationTest {

	static final QueueSpec QUEUE = QueueSpec.named("outbox.backpressure.test").withMaxLength(2);

	static final QueueSpec SMALL_QUEUE = QueueSpec.named("outbox.backpressure.small").withMaxLength(1);

	static final String TOPIC = "outbox.backpressure.events";

	@Autowired
	Outbox outbox;

	@Autowired
	WorkQueues queues;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		SharedInfrastructure.register(registry, "backpressure");
		TestEvents.createTopics(TOPIC);
	}

	@Test
	void messagesAFullQueueRefusesWaitInTheOutboxUntilThereIsRoom() {
		List<String> sent = List.of("a", "b", "c", "d", "e");
		this.transactions.executeWithoutResult(
				(status) -> sent.forEach((text) -> this.outbox.enqueue(QUEUE, "order-" + text, StringValue.of(text))));

		// Two fit; three wait in the outbox while nobody consumes.
		await().atMost(Duration.ofSeconds(30)).until(this::waiting, (count) -> count == 3);

		List<String> handled = new CopyOnWriteArrayList<>();
		try (WorkQueueBinding.Consumers consumers = this.queues.consume(QUEUE, 1, 1,
				(message, attempt) -> handled.add(StringValue.parseFrom(message.payload()).getValue()))) {
			await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == sent.size() && waiting() == 0);
		}
		assertThat(handled).containsExactlyInAnyOrderElementsOf(sent);
	}

	@Test
	void aFullQueueDoesNotHoldBackTheOtherTopicsAndQueues() {
		// One fits; two wait, enough to fill every batch of two the relay reads.
		List<String> queued = List.of("q1", "q2", "q3");
		this.transactions.executeWithoutResult((status) -> queued
			.forEach((text) -> this.outbox.enqueue(SMALL_QUEUE, "order-" + text, StringValue.of(text))));
		await().atMost(Duration.ofSeconds(30)).until(() -> waitingFor(SMALL_QUEUE.name()) == 2);

		String key = "behind-a-full-queue";
		this.transactions.executeWithoutResult((status) -> this.outbox.add(TOPIC, key, StringValue.of("event")));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(TOPIC, key, StringValue.getDefaultInstance()).size() == 1);
		assertThat(waitingFor(SMALL_QUEUE.name())).isEqualTo(2);

		List<String> handled = new CopyOnWriteArrayList<>();
		try (WorkQueueBinding.Consumers consumers = this.queues.consume(SMALL_QUEUE, 1, 1,
				(message, attempt) -> handled.add(StringValue.parseFrom(message.payload()).getValue()))) {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> handled.size() == queued.size() && waitingFor(SMALL_QUEUE.name()) == 0);
		}
		assertThat(handled).containsExactlyInAnyOrderElementsOf(queued);
	}

	private int waitingFor(String topic) {
		return this.jdbc.queryForObject("SELECT count(*) FROM platform.outbox WHERE topic = ?", Integer.class, topic);
	}

	private int waiting() {
		return this.jdbc.queryForObject("SELECT count(*) FROM platform.outbox", Integer.class);
	}

	@SpringBootApplication
	static class App {

		@Bean
		QueueSpec backpressureQueue() {
			return QUEUE;
		}

		@Bean
		QueueSpec smallQueue() {
			return SMALL_QUEUE;
		}

	}

}
