package dev.switchboard.platform.internal.queue.rabbit;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.platform.queue.DeadLetterHeaders;
import dev.switchboard.platform.queue.MessageTooLargeException;
import dev.switchboard.platform.queue.QueueMessage;
import dev.switchboard.platform.queue.WorkQueueBinding;
import dev.switchboard.platform.internal.queue.WorkQueueContract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The work-queue contract on a real RabbitMQ: {@code SWITCHBOARD_TEST_RABBITMQ} (an
 * {@code amqp://} URI), by default the one on 127.0.0.1:5672 with guest/guest. Skipped,
 * saying so, only when no broker answers there.
 */
class RabbitWorkQueuesTest extends WorkQueueContract {

	private static final URI BROKER = URI
		.create(System.getenv().getOrDefault("SWITCHBOARD_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672"));

	private static RabbitWorkQueues binding;

	private static Connection inspector;

	/**
	 * Dead letters taken off the broker so far, per queue: reading a RabbitMQ queue
	 * consumes it.
	 */
	private static final Map<String, List<DeadLetter>> taken = new ConcurrentHashMap<>();

	@BeforeAll
	static void connect() throws Exception {
		try (Socket probe = new Socket(BROKER.getHost(), (BROKER.getPort() > 0) ? BROKER.getPort() : 5672)) {
			// A broker answers.
		}
		catch (IOException ex) {
			Assumptions.abort("No RabbitMQ reachable at " + BROKER.getHost() + ":" + BROKER.getPort()
					+ " (set SWITCHBOARD_TEST_RABBITMQ to an amqp:// URI); skipping the RabbitMQ binding's contract");
		}
		binding = new RabbitWorkQueues(BROKER, "contract-test");
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(BROKER);
		inspector = factory.newConnection("contract-test-inspector");
	}

	/** The broker is shared and outlives the test: leave it as it was. */
	@Override
	protected void deleteQueues(List<QueueSpec> queues) throws Exception {
		try (com.rabbitmq.client.Channel channel = inspector.createChannel()) {
			for (QueueSpec queue : queues) {
				channel.queueDelete(queue.name());
				channel.queueDelete(queue.deadLetterName());
			}
		}
	}

	@AfterAll
	static void disconnect() throws IOException {
		if (binding != null) {
			binding.close();
			inspector.close();
		}
	}

	@Test
	void aMessageOverTheBrokersSizeLimitIsRefusedForGoodAndNeverSent() throws Exception {
		QueueSpec queue = QueueSpec.named("contract-size-" + UUID.randomUUID().toString().substring(0, 8));
		RabbitWorkQueues small = new RabbitWorkQueues(BROKER, "contract-test", 1024);
		try {
			small.declare(queue);
			QueueMessage big = new QueueMessage("big-" + UUID.randomUUID(), "test.Message", "order-1", Instant.now(),
					new byte[2048], 0, null, null, null);

			assertThatThrownBy(() -> small.send(queue, big).get(10, TimeUnit.SECONDS))
				.hasCauseInstanceOf(MessageTooLargeException.class)
				.hasMessageContaining("2048 bytes");
			small
				.send(queue,
						new QueueMessage("fits-" + UUID.randomUUID(), "test.Message", "order-1", Instant.now(),
								new byte[1024], 0, null, null, null))
				.get(10, TimeUnit.SECONDS);
			try (com.rabbitmq.client.Channel channel = inspector.createChannel()) {
				assertThat(channel.queueDeclarePassive(queue.name()).getMessageCount()).isEqualTo(1);
			}
		}
		finally {
			small.close();
			deleteQueues(List.of(queue));
		}
	}

	@Override
	protected WorkQueueBinding binding() {
		return binding;
	}

	@Override
	protected List<DeadLetter> deadLetters(QueueSpec queue) {
		List<DeadLetter> letters = taken.computeIfAbsent(queue.name(), (name) -> new ArrayList<>());
		try (com.rabbitmq.client.Channel channel = inspector.createChannel()) {
			for (GetResponse response = channel.basicGet(queue.deadLetterName(),
					true); response != null; response = channel.basicGet(queue.deadLetterName(), true)) {
				letters.add(toDeadLetter(response.getProps().getHeaders()));
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not read " + queue.deadLetterName(), ex);
		}
		return List.copyOf(letters);
	}

	/**
	 * Ours carry dlq-* headers; those RabbitMQ dead-lettered itself (expired) carry
	 * x-death.
	 */
	@SuppressWarnings("unchecked")
	private static DeadLetter toDeadLetter(Map<String, Object> headers) {
		String id = String.valueOf(headers.get(CloudEventHeaders.ID));
		Object reason = headers.get(DeadLetterHeaders.REASON);
		if (reason != null) {
			return new DeadLetter(id, reason.toString(),
					Integer.parseInt(headers.get(DeadLetterHeaders.ATTEMPTS).toString()),
					headers.get(DeadLetterHeaders.ORIGIN).toString());
		}
		Map<String, Object> death = ((List<Map<String, Object>>) headers.get("x-death")).getFirst();
		return new DeadLetter(id, death.get("reason").toString(), 0, death.get("queue").toString());
	}

}
