package dev.switchboard.platform.internal.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.MalformedEventException;
import dev.switchboard.platform.queue.QueueFullException;
import dev.switchboard.platform.queue.QueueHandler;
import dev.switchboard.platform.queue.QueueMessage;
import dev.switchboard.platform.queue.WorkQueueBinding;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every work-queue binding must do, run against each real broker: competing
 * consumers, acknowledgement after the handler, retries with backoff, dead letters with
 * their reason, TTL, maximum length as backpressure, priority.
 */
public abstract class WorkQueueContract {

	private final List<WorkQueueBinding.Consumers> running = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<QueueSpec> declared = new CopyOnWriteArrayList<>();

	/** The binding under test, shared by the tests of a class. */
	protected abstract WorkQueueBinding binding();

	/** Everything dead-lettered on {@code queue} so far, oldest first. */
	protected abstract List<DeadLetter> deadLetters(QueueSpec queue);

	public record DeadLetter(String id, String reason, int attempts, String origin) {
	}

	/**
	 * Removes what a test declared, for brokers that outlive the test; after its
	 * consumers stopped.
	 */
	protected void deleteQueues(List<QueueSpec> queues) throws Exception {
	}

	@AfterEach
	void stopConsumers() throws Exception {
		this.release.countDown();
		this.running.forEach(WorkQueueBinding.Consumers::close);
		deleteQueues(this.declared);
	}

	@Test
	void everyMessageIsHandledOnceByOneOfTheCompetingConsumers() {
		QueueSpec queue = declared(QueueSpec.named(unique("compete")));
		List<String> handled = new CopyOnWriteArrayList<>();
		Set<String> threads = ConcurrentHashMap.newKeySet();
		CountDownLatch twoAtOnce = new CountDownLatch(2);
		consume(queue, 3, 2, (message, attempt) -> {
			if (threads.add(Thread.currentThread().getName())) {
				twoAtOnce.countDown();
			}
			// Hold the first messages until a second consumer holds one too: proof that
			// they compete rather than take turns.
			twoAtOnce.await(20, TimeUnit.SECONDS);
			handled.add(message.id());
		});
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			sent.add(send(queue, message("m-" + i, 0, null)));
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() >= sent.size());
		assertThat(handled).containsExactlyInAnyOrderElementsOf(sent);
		assertThat(twoAtOnce.getCount()).isZero();
	}

	@Test
	void theEnvelopeArrivesWholeWithItsSchemaRevisionAndTraceContext() {
		QueueSpec queue = declared(QueueSpec.named(unique("envelope")));
		List<QueueMessage> received = new CopyOnWriteArrayList<>();
		consume(queue, 1, 1, (message, attempt) -> received.add(message));
		QueueMessage sent = new QueueMessage("envelope-" + UUID.randomUUID(), "test.Message", "order-7",
				Instant.parse("2026-11-23T10:15:30.123Z"), new byte[] { 1, 2, 3 }, 0, null,
				"urn:switchboard:schema:test.Message:2?readable-from=1",
				"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

		send(queue, sent);

		await().atMost(Duration.ofSeconds(60)).until(() -> !received.isEmpty());
		assertThat(received.getFirst()).usingRecursiveComparison().isEqualTo(sent);
	}

	@Test
	void aMessageIsDeliveredAgainWhenItsConsumerStopsBeforeAcknowledging() throws Exception {
		QueueSpec queue = declared(QueueSpec.named(unique("redeliver")));
		CountDownLatch held = new CountDownLatch(1);
		WorkQueueBinding.Consumers first = consume(queue, 1, 1, (message, attempt) -> {
			held.countDown();
			this.release.await();
		});
		String id = send(queue, message("held", 0, null));
		assertThat(held.await(30, TimeUnit.SECONDS)).as("the first consumer got the message").isTrue();
		first.close();

		List<String> handled = new CopyOnWriteArrayList<>();
		consume(queue, 1, 1, (message, attempt) -> handled.add(message.id()));
		await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains(id));
	}

	@Test
	void whatAConsumerHandledBeforeItStoppedIsNotDeliveredAgain() throws Exception {
		QueueSpec queue = declared(QueueSpec.named(unique("stopped")));
		List<String> first = new CopyOnWriteArrayList<>();
		WorkQueueBinding.Consumers consumers = consume(queue, 1, 5, (message, attempt) -> first.add(message.id()));
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			sent.add(send(queue, message("before-" + i, 0, null)));
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> first.containsAll(sent));
		consumers.close();

		List<String> second = new CopyOnWriteArrayList<>();
		consume(queue, 1, 5, (message, attempt) -> second.add(message.id()));
		String after = send(queue, message("after", 0, null));
		await().atMost(Duration.ofSeconds(60)).until(() -> second.contains(after));
		assertThat(second).containsExactly(after);
	}

	@Test
	void aMessageThatKeepsFailingIsRetriedWithBackoffThenDeadLetteredWhileOthersGoThrough() {
		QueueSpec queue = declared(QueueSpec.named(unique("poison"))
			.withMaxAttempts(3)
			.withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
		List<Long> poisonAttempts = new CopyOnWriteArrayList<>();
		List<String> handled = new CopyOnWriteArrayList<>();
		consume(queue, 1, 1, (message, attempt) -> {
			if (message.id().startsWith("poison")) {
				poisonAttempts.add(System.nanoTime());
				throw new IllegalStateException("card provider unreachable");
			}
			handled.add(message.id());
		});
		String poison = send(queue, message("poison", 0, null));
		List<String> good = List.of(send(queue, message("good-1", 0, null)), send(queue, message("good-2", 0, null)));

		await().atMost(Duration.ofSeconds(60)).until(() -> !deadLetters(queue).isEmpty() && handled.size() == 2);
		assertThat(deadLetters(queue)).containsExactly(new DeadLetter(poison, "failed", 3, queue.name()));
		assertThat(handled).containsExactlyInAnyOrderElementsOf(good);
		assertThat(poisonAttempts).hasSize(3);
		assertThat(poisonAttempts.get(1) - poisonAttempts.get(0))
			.isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
		assertThat(poisonAttempts.get(2) - poisonAttempts.get(1))
			.isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
	}

	@Test
	void aMessageThatSucceedsOnALaterAttemptIsHandledOnceAndNotDeadLettered() {
		QueueSpec queue = declared(
				QueueSpec.named(unique("flaky")).withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)));
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		List<String> handled = new CopyOnWriteArrayList<>();
		consume(queue, 1, 1, (message, attempt) -> {
			attempts.add(attempt);
			if (attempt < 3) {
				throw new IllegalStateException("not yet");
			}
			handled.add(message.id());
		});
		String id = send(queue, message("flaky", 0, null));
		await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains(id));
		assertThat(attempts).containsExactly(1, 2, 3);
		assertThat(handled).containsExactly(id);
		assertThat(deadLetters(queue)).isEmpty();
	}

	@Test
	void anOutageLongerThanEveryAttemptIsWaitedOutNotDeadLettered() {
		// Three attempts 100 ms apart would be spent in well under a second.
		QueueSpec queue = declared(QueueSpec.named(unique("outage"))
			.withMaxAttempts(3)
			.withBackoff(Duration.ofMillis(100), Duration.ofMillis(200)));
		// Four seconds from the first delivery: more tries than three attempts allow.
		AtomicLong outageEnds = new AtomicLong();
		List<String> handled = new CopyOnWriteArrayList<>();
		AtomicInteger failures = new AtomicInteger();
		consume(queue, 1, 1, (message, attempt) -> {
			outageEnds.compareAndSet(0, System.nanoTime() + Duration.ofSeconds(4).toNanos());
			if (System.nanoTime() < outageEnds.get()) {
				failures.incrementAndGet();
				throw new DataAccessResourceFailureException("the database is away (on purpose)");
			}
			handled.add(message.id());
		});
		String id = send(queue, message("outage", 0, null));

		await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains(id));
		assertThat(failures.get()).isGreaterThan(3);
		assertThat(handled).containsExactly(id);
		assertThat(deadLetters(queue)).isEmpty();
	}

	@Test
	void aMalformedMessageIsDeadLetteredAtOnce() {
		QueueSpec queue = declared(QueueSpec.named(unique("malformed")));
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		consume(queue, 1, 1, (message, attempt) -> {
			attempts.add(attempt);
			throw new MalformedEventException("payload is not a valid ChargePayment");
		});
		String id = send(queue, message("bad", 0, null));
		await().atMost(Duration.ofSeconds(60)).until(() -> !deadLetters(queue).isEmpty());
		assertThat(deadLetters(queue)).containsExactly(new DeadLetter(id, "malformed", 1, queue.name()));
		assertThat(attempts).containsExactly(1);
	}

	@Test
	void anExpiredMessageIsDeadLetteredAsExpiredAndNeverHandled() {
		QueueSpec queue = declared(QueueSpec.named(unique("ttl")));
		String expired = send(queue, message("stale", 0, Instant.now().minusSeconds(1)));
		String fresh = send(queue, message("fresh", 0, Instant.now().plusSeconds(600)));
		List<String> handled = new CopyOnWriteArrayList<>();
		consume(queue, 1, 1, (message, attempt) -> handled.add(message.id()));

		await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains(fresh) && !deadLetters(queue).isEmpty());
		assertThat(deadLetters(queue)).extracting(DeadLetter::id, DeadLetter::reason, DeadLetter::origin)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(expired, "expired", queue.name()));
		assertThat(handled).containsExactly(fresh);
	}

	@Test
	void aFullQueueRefusesNewMessagesAndTakesThemOnceConsumersMakeRoom() {
		QueueSpec queue = declared(QueueSpec.named(unique("full")).withMaxLength(3));
		List<String> accepted = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			accepted.add(send(queue, message("m-" + i, 0, null)));
		}
		QueueMessage refused = message("refused", 0, null);
		assertThatThrownBy(() -> binding().send(queue, refused).get(30, TimeUnit.SECONDS))
			.isInstanceOf(ExecutionException.class)
			.hasCauseInstanceOf(QueueFullException.class);

		List<String> handled = new CopyOnWriteArrayList<>();
		consume(queue, 1, 1, (message, attempt) -> handled.add(message.id()));
		await().atMost(Duration.ofSeconds(60)).until(() -> handled.containsAll(accepted));
		// The sender kept the refused message and tries again, as the outbox does.
		await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(ExecutionException.class).until(() -> {
			binding().send(queue, refused).get(30, TimeUnit.SECONDS);
			return true;
		});
		await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains(refused.id()));
		assertThat(handled).containsExactlyInAnyOrderElementsOf(
				java.util.stream.Stream.concat(accepted.stream(), java.util.stream.Stream.of(refused.id())).toList());
	}

	@Test
	void countsTheMessagesWaitingAtEveryPriorityLevelUntilConsumersTakeThem() {
		QueueSpec queue = declared(QueueSpec.named(unique("waiting")).withPriorities(2));
		assertThat(binding().waiting(queue)).isZero();
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			sent.add(send(queue, message("w-" + i, i % 2, null)));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> binding().waiting(queue) == 3);

		List<String> handled = new CopyOnWriteArrayList<>();
		consume(queue, 1, 1, (message, attempt) -> handled.add(message.id()));
		await().atMost(Duration.ofSeconds(60)).until(() -> handled.containsAll(sent));
		await().atMost(Duration.ofSeconds(30)).until(() -> binding().waiting(queue) == 0);
	}

	@Test
	void higherPriorityMessagesAreHandledFirst() throws Exception {
		QueueSpec queue = declared(QueueSpec.named(unique("priority")).withPriorities(2));
		List<String> handled = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch gateHeld = new CountDownLatch(1);
		CountDownLatch gateOpen = new CountDownLatch(1);
		consume(queue, 1, 1, (message, attempt) -> {
			if (message.id().startsWith("gate")) {
				gateHeld.countDown();
				gateOpen.await();
			}
			handled.add(message.id());
		});
		// Both levels delivered once: the consumer is attached to each.
		List<String> warmUp = List.of(send(queue, message("warm-low", 0, null)),
				send(queue, message("warm-high", 1, null)));
		await().atMost(Duration.ofSeconds(60)).until(() -> handled.containsAll(warmUp));
		handled.clear();

		// The consumer is busy with the gate while both levels fill up.
		send(queue, message("gate", 1, null));
		assertThat(gateHeld.await(30, TimeUnit.SECONDS)).isTrue();
		List<String> low = new ArrayList<>();
		List<String> high = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			low.add(send(queue, message("low-" + i, 0, null)));
		}
		for (int i = 0; i < 4; i++) {
			high.add(send(queue, message("high-" + i, 1, null)));
		}
		gateOpen.countDown();

		await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 9);
		List<String> afterGate = handled.subList(1, 9);
		assertThat(afterGate.subList(0, 4)).as("handled after the gate: %s", afterGate)
			.containsExactlyInAnyOrderElementsOf(high);
		assertThat(afterGate.subList(4, 8)).containsExactlyInAnyOrderElementsOf(low);
	}

	private QueueSpec declared(QueueSpec queue) {
		binding().declare(queue);
		this.declared.add(queue);
		return queue;
	}

	private WorkQueueBinding.Consumers consume(QueueSpec queue, int consumers, int prefetch, QueueHandler handler) {
		WorkQueueBinding.Consumers started = binding().consume(queue, consumers, prefetch, handler);
		this.running.add(started);
		return started;
	}

	private String send(QueueSpec queue, QueueMessage message) {
		try {
			binding().send(queue, message).get(30, TimeUnit.SECONDS);
			return message.id();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not send " + message.id(), ex);
		}
	}

	private static QueueMessage message(String name, int priority, Instant expiresAt) {
		String id = name + "-" + UUID.randomUUID();
		return new QueueMessage(id, "test.Message", "order-" + name, Instant.now(),
				name.getBytes(StandardCharsets.UTF_8), priority, expiresAt, null, null);
	}

	private static String unique(String purpose) {
		return "contract-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
