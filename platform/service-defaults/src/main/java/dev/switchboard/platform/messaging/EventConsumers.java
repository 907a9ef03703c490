package dev.switchboard.platform.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.internal.messaging.DeadLetterCount;
import dev.switchboard.platform.internal.messaging.HandledMessages;
import dev.switchboard.platform.queue.DeadLetterHeaders;
import dev.switchboard.contracts.events.Topics;
import dev.switchboard.platform.internal.fault.FaultInjector;
import dev.switchboard.platform.internal.tracing.MessageTracing;
import dev.switchboard.platform.internal.messaging.Inbox;
import dev.switchboard.platform.internal.messaging.MessageProgress;
import dev.switchboard.platform.internal.messaging.PlatformTopics;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Runs every {@link EventSubscription} bean as a Kafka consumer group. The records of one
 * poll are handled in one database transaction together with their inbox entries, and
 * their offsets are committed after that transaction: at-least-once delivery,
 * exactly-once effect. Records nobody handles are skipped without a transaction.
 *
 * <p>
 * One transaction per poll rather than per record is what keeps the cost per event low
 * under load: a busy consumer gets many records per poll and pays for one commit. When
 * the batch fails, its records are applied again one transaction each, so a failing
 * record holds back neither the records before it nor, once dead-lettered, those after.
 *
 * <p>
 * A record whose handler keeps failing is retried with exponential backoff, then written
 * to the dead-letter topic {@code <topic>.<group>.dlt} with Spring Kafka's exception
 * headers, and the consumer moves on. A malformed record goes there at once. A failure of
 * the infrastructure ({@link InfrastructureFailures}: the database away, a timeout) is no
 * fault of the record: it is retried, the partition held, for as long as the outage
 * lasts, and never dead-lettered.
 */
public final class EventConsumers implements SmartLifecycle, HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(EventConsumers.class);

	private static final Duration TOPIC_CREATION_TIMEOUT = Duration.ofSeconds(30);

	private final List<EventSubscription> subscriptions;

	private final ConcurrentKafkaListenerContainerFactory<String, byte[]> factory;

	private final KafkaTemplate<String, byte[]> kafka;

	private final KafkaAdmin admin;

	private final TransactionTemplate transactions;

	private final Inbox inbox;

	private final MessageProgress progress;

	private final String application;

	private final MessageTracing tracing;

	/** Duplicated and reordered deliveries, when an operator injects them. */
	private final FaultInjector faults;

	/**
	 * How long a record whose handling fails (not for want of infrastructure) is retried
	 * before it is dead-lettered.
	 */
	private final Duration retryBudget;

	private final Map<String, ConcurrentMessageListenerContainer<String, byte[]>> containers = new LinkedHashMap<>();

	private final Map<String, Listening> listening = new ConcurrentHashMap<>();

	private volatile boolean running;

	public EventConsumers(List<EventSubscription> subscriptions,
			ConcurrentKafkaListenerContainerFactory<String, byte[]> factory, KafkaTemplate<String, byte[]> kafka,
			KafkaAdmin admin, TransactionTemplate transactions, Inbox inbox, MessageProgress progress,
			String application, MessageTracing tracing, Duration retryBudget, FaultInjector faults) {
		this.subscriptions = subscriptions;
		this.factory = factory;
		this.kafka = kafka;
		this.admin = admin;
		this.transactions = transactions;
		this.inbox = inbox;
		this.progress = progress;
		this.application = application;
		this.tracing = tracing;
		this.retryBudget = retryBudget;
		this.faults = faults;
		subscriptions.forEach((subscription) -> inbox.register(groupOf(subscription.name())));
	}

	/** The consumer group (and inbox consumer name) of a subscription. */
	public String groupOf(String subscription) {
		return this.application + "." + subscription;
	}

	/**
	 * Since when every one of these subscriptions has held partitions without a break,
	 * that is, since when it has certainly been reading what is written to its topics;
	 * empty while one of them holds none (starting, or after a rebalance took them away).
	 * A consumer that restarts gets its partitions only once the group has rebalanced,
	 * which for a member that crashed takes up to its session timeout: whoever waits for
	 * an answer on these topics should not give up on it before then.
	 */
	public Optional<Instant> listeningSince(String... subscriptions) {
		Instant since = Instant.MIN;
		for (String subscription : subscriptions) {
			Listening state = this.listening.get(subscription);
			Instant held = (state != null) ? state.since : null;
			if (held == null) {
				return Optional.empty();
			}
			since = held.isAfter(since) ? held : since;
		}
		return Optional.of(since);
	}

	/**
	 * Counts the partitions a subscription's consumers hold, and since when it has held
	 * some.
	 */
	private static final class Listening implements ConsumerRebalanceListener {

		private final AtomicInteger held = new AtomicInteger();

		private volatile Instant since;

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			if (this.held.addAndGet(partitions.size()) > 0 && this.since == null) {
				this.since = Instant.now();
			}
		}

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			release(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			release(partitions);
		}

		private void release(Collection<TopicPartition> partitions) {
			if (this.held.addAndGet(-partitions.size()) <= 0) {
				this.held.set(0);
				this.since = null;
			}
		}

	}

	static String deadLetterTopic(String topic, String group) {
		return topic + "." + group + ".dlt";
	}

	@Override
	public synchronized void start() {
		createMissingTopics();
		for (EventSubscription subscription : this.subscriptions) {
			String group = groupOf(subscription.name());
			subscription.topics().forEach((topic) -> DeadLetterCount.register(deadLetterTopic(topic, group)));
			this.admin.createOrModifyTopics(subscription.topics()
				.stream()
				.map((topic) -> new NewTopic(deadLetterTopic(topic, group), 1, (short) -1)
					.configs(Topics.deadLetterConfig()))
				.toArray(NewTopic[]::new));
			ConcurrentMessageListenerContainer<String, byte[]> container = this.factory
				.createContainer(subscription.topics().toArray(String[]::new));
			container.getContainerProperties().setGroupId(group);
			container.getContainerProperties().setClientId(group);
			container.setBeanName(group);
			container.setupMessageListener(
					(BatchMessageListener<String, byte[]>) (records) -> onBatch(subscription, group, records));
			container.setCommonErrorHandler(errorHandler(group));
			Listening listening = new Listening();
			this.listening.put(subscription.name(), listening);
			container.getContainerProperties().setConsumerRebalanceListener(listening);
			container.start();
			this.containers.put(subscription.name(), container);
		}
		this.running = true;
	}

	/**
	 * Creates the subscribed topics that do not exist yet, with the platform's partition
	 * count, and leaves those that do as they are. A consumer subscribed to a topic that
	 * does not exist sees it only at its next metadata refresh (five minutes by default),
	 * so whichever of a topic's writer and readers starts first creates it. A cluster
	 * that does not let this service create topics gets a warning; its topics are created
	 * by others.
	 */
	private void createMissingTopics() {
		Set<String> topics = new LinkedHashSet<>();
		this.subscriptions.forEach((subscription) -> topics.addAll(subscription.topics()));
		if (topics.isEmpty()) {
			return;
		}
		try (Admin client = Admin.create(this.admin.getConfigurationProperties())) {
			Map<String, KafkaFuture<Void>> created = client
				.createTopics(topics.stream().map(PlatformTopics::newTopic).toList())
				.values();
			for (Map.Entry<String, KafkaFuture<Void>> topic : created.entrySet()) {
				try {
					topic.getValue().get(TOPIC_CREATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
					log.info("Created topic {} ({} partitions) for its readers", topic.getKey(), Topics.PARTITIONS);
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof TopicExistsException)) {
						log.warn("Could not create topic {}: {}", topic.getKey(), ex.getCause().toString());
					}
				}
				catch (TimeoutException ex) {
					log.warn("Could not create topic {} within {}", topic.getKey(), TOPIC_CREATION_TIMEOUT);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating topics", ex);
		}
	}

	private DefaultErrorHandler errorHandler(String group) {
		DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(this.kafka,
				(record, ex) -> new TopicPartition(deadLetterTopic(record.topic(), group), -1));
		// The dead-letter headers name the handler's exception, not the listener wrappers
		// around it ("Listener failed; ... @-3").
		ConsumerRecordRecoverer recoverer = (record, ex) -> {
			deadLetters.accept(record, unwrapped(ex));
			DeadLetterCount.record(deadLetterTopic(record.topic(), group),
					MalformedEventException.isCauseOf(ex) ? DeadLetterHeaders.MALFORMED : DeadLetterHeaders.FAILED);
		};
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
		backOff.setMaxInterval(5_000);
		backOff.setMaxElapsedTime(this.retryBudget.toMillis());
		ExponentialBackOff whileItLasts = new ExponentialBackOff(200, 2.0);
		whileItLasts.setMaxInterval(10_000);
		DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
		// A malformed record will never parse: dead-letter it at once. An outage is
		// retried until it ends (the budget starts again if the failure changes). (The
		// handler's not-retryable classification is not consulted for batch listeners.)
		handler.setBackOffFunction((record, ex) -> {
			if (MalformedEventException.isCauseOf(ex)) {
				return new FixedBackOff(0, 0);
			}
			return InfrastructureFailures.isInfrastructure(ex) ? whileItLasts : null;
		});
		handler.setResetStateOnExceptionChange(true);
		// The container logs each retry's seek with a stack trace at ERROR unless told
		// otherwise; the retry listener below says the same in one line.
		handler.setLogLevel(KafkaException.Level.DEBUG);
		// Without this a failing handler is silent until its retries run out.
		handler.setRetryListeners(new RetryListener() {

			@Override
			public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int attempt) {
				if (!MalformedEventException.isCauseOf(ex)) {
					log.warn("{} failed on {}-{}@{} (attempt {}); retrying: {}", group, record.topic(),
							record.partition(), record.offset(), attempt, rootCause(ex).toString());
				}
			}

			@Override
			public void recovered(ConsumerRecord<?, ?> record, Exception ex) {
				log.warn("{} gave up on {}-{}@{}; sent it to {}: {}", group, record.topic(), record.partition(),
						record.offset(), deadLetterTopic(record.topic(), group), rootCause(ex).toString());
			}

		});
		return handler;
	}

	private static Exception unwrapped(Exception ex) {
		Exception reason = ex;
		while ((reason instanceof ListenerExecutionFailedException || reason instanceof BatchListenerFailedException)
				&& reason.getCause() instanceof Exception cause) {
			reason = cause;
		}
		return reason;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	private void onBatch(EventSubscription subscription, String group, List<ConsumerRecord<String, byte[]>> records) {
		// Without a fault, the poll's order; with one, some records twice and some
		// swapped.
		int[] order = this.faults.deliveryOrder("events:" + group, records.size());
		// A failure is reported at the earliest record of the poll not yet surely
		// applied: the error handler commits what comes before it and delivers the rest
		// again.
		int[] firstUnapplied = new int[order.length];
		for (int at = order.length - 1, least = Integer.MAX_VALUE; at >= 0; at--) {
			least = Math.min(least, order[at]);
			firstUnapplied[at] = least;
		}
		List<Delivery> deliveries = new ArrayList<>(order.length);
		for (int at = 0; at < order.length; at++) {
			Delivery delivery;
			try {
				delivery = prepare(subscription, records.get(order[at]), firstUnapplied[at]);
			}
			catch (MalformedEventException ex) {
				// Apply what came before, so that only this record is dead-lettered.
				apply(group, deliveries);
				throw new BatchListenerFailedException(ex.getMessage(), ex, firstUnapplied[at]);
			}
			if (delivery != null) {
				// A slow consumer, when a fault says so.
				this.faults.beforeEvent("events:" + group);
				deliveries.add(delivery);
			}
		}
		apply(group, deliveries);
	}

	/**
	 * Reads and parses a record; {@code null} when this subscription has nothing to do
	 * with it.
	 */
	private static Delivery prepare(EventSubscription subscription, ConsumerRecord<String, byte[]> record, int index) {
		EventEnvelope envelope = CloudEventHeaders.read(record.headers(), record.topic(), record.partition(),
				record.offset());
		EventSubscription.Route<?> route = subscription.route(envelope.type());
		if (route == null) {
			return null;
		}
		if (record.value() == null) {
			throw new MalformedEventException("record has no value");
		}
		Runnable effect = route.bind(envelope, record.value());
		return (effect != null) ? new Delivery(index, envelope, effect) : null;
	}

	/**
	 * Applies the deliveries in one transaction; if that fails, one transaction each, up
	 * to the first that fails, which is reported with its index for the error handler to
	 * retry and, in the end, dead-letter.
	 */
	private void apply(String group, List<Delivery> deliveries) {
		if (deliveries.isEmpty()) {
			return;
		}
		try (MessageProgress.Handling handling = this.progress
			.handling(deliveries.stream().map((d) -> d.envelope().id()).toList())) {
			applyAllOrOneByOne(group, deliveries);
		}
	}

	private void applyAllOrOneByOne(String group, List<Delivery> deliveries) {
		try {
			this.transactions.executeWithoutResult((status) -> deliveries.forEach((d) -> applyOnce(group, d)));
			return;
		}
		catch (RuntimeException ex) {
			if (deliveries.size() == 1) {
				throw new BatchListenerFailedException(ex.getMessage(), ex, deliveries.getFirst().index());
			}
			log.info("{}: a batch of {} records failed ({}); applying them one at a time", group, deliveries.size(),
					ex.toString());
		}
		for (Delivery delivery : deliveries) {
			try {
				this.transactions.executeWithoutResult((status) -> applyOnce(group, delivery));
			}
			catch (RuntimeException ex) {
				throw new BatchListenerFailedException(ex.getMessage(), ex, delivery.index());
			}
		}
	}

	private void applyOnce(String group, Delivery delivery) {
		EventEnvelope envelope = delivery.envelope();
		// The handler continues the trace the event was written in; what it writes to the
		// outbox carries that trace on.
		this.tracing.continueTrace(envelope.traceparent(), "process " + envelope.topic(), envelope.type(),
				envelope.id(), envelope.subject(), () -> {
					if (this.inbox.firstDelivery(group, envelope.id())) {
						// One line a message, in its trace: what lets a reader follow an
						// order (or a trace id) through every service's log.
						log.info("{} handles {} {} about {}", group, envelope.type(), envelope.id(),
								envelope.subject());
						delivery.effect().run();
						HandledMessages.record(envelope.topic(), group, envelope.time());
					}
					else {
						log.debug("Skipping {} {}: {} applied it before", envelope.type(), envelope.id(), group);
					}
				});
	}

	/** One record of a poll that a handler wants, parsed and bound to that handler. */
	private record Delivery(int index, EventEnvelope envelope, Runnable effect) {
	}

	/**
	 * Re-reads a subscription's topics from the beginning: stops its consumer, runs
	 * {@code reset} in a transaction that also clears its inbox, deletes the group's
	 * committed offsets (so it starts at the earliest retained record) and starts it
	 * again.
	 */
	public synchronized void replayFromBeginning(String subscription, Runnable reset) {
		ConcurrentMessageListenerContainer<String, byte[]> container = this.containers.get(subscription);
		if (container == null) {
			throw new IllegalArgumentException("No subscription named " + subscription);
		}
		String group = groupOf(subscription);
		container.stop();
		this.transactions.executeWithoutResult((status) -> {
			this.inbox.forget(group);
			reset.run();
		});
		try (Admin client = Admin.create(this.admin.getConfigurationProperties())) {
			Set<TopicPartition> partitions = new HashSet<>();
			Map<String, TopicDescription> topics = client
				.describeTopics(container.getContainerProperties().getTopics() == null ? List.of()
						: List.of(container.getContainerProperties().getTopics()))
				.allTopicNames()
				.get();
			topics.values()
				.forEach((topic) -> topic.partitions()
					.forEach((p) -> partitions.add(new TopicPartition(topic.name(), p.partition()))));
			client.deleteConsumerGroupOffsets(group, partitions).all().get();
		}
		catch (ExecutionException ex) {
			log.info("No committed offsets to delete for {}: {}", group, ex.getCause().toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while resetting offsets of " + group, ex);
		}
		finally {
			container.start();
		}
	}

	@Override
	public synchronized void stop() {
		this.containers.values().forEach(ConcurrentMessageListenerContainer::stop);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * The {@code eventConsumers} health component: DOWN when a consumer group's container
	 * stopped on its own (a fatal error its retries cannot cure), since the service then
	 * no longer reads that subscription; each group's state is in the details.
	 */
	@Override
	public synchronized Health health() {
		boolean down = false;
		Map<String, Object> details = new LinkedHashMap<>();
		for (ConcurrentMessageListenerContainer<String, byte[]> container : this.containers.values()) {
			boolean healthy = !this.running || (container.isRunning() && container.isInExpectedState());
			down |= !healthy;
			details.put(container.getGroupId(), healthy ? "consuming" : "stopped");
		}
		return (down ? Health.down() : Health.up()).withDetails(details).build();
	}

}
