package dev.switchboard.platform.messaging;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Runs every {@link EventSubscription} bean as a Kafka consumer group. Each record is
 * handled in one database transaction together with its inbox entry, and its offset is
 * committed after that transaction: at-least-once delivery, exactly-once effect.
 *
 * <p>
 * A record whose handler keeps failing is retried with exponential backoff, then written
 * to the dead-letter topic {@code <topic>.<group>.dlt} with Spring Kafka's exception
 * headers, and the consumer moves on. A malformed record goes there at once.
 */
public final class EventConsumers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EventConsumers.class);

	private final List<EventSubscription> subscriptions;

	private final ConcurrentKafkaListenerContainerFactory<String, byte[]> factory;

	private final KafkaTemplate<String, byte[]> kafka;

	private final KafkaAdmin admin;

	private final TransactionTemplate transactions;

	private final Inbox inbox;

	private final String application;

	private final Map<String, ConcurrentMessageListenerContainer<String, byte[]>> containers = new LinkedHashMap<>();

	private volatile boolean running;

	EventConsumers(List<EventSubscription> subscriptions, ConcurrentKafkaListenerContainerFactory<String, byte[]> factory,
			KafkaTemplate<String, byte[]> kafka, KafkaAdmin admin, TransactionTemplate transactions, Inbox inbox,
			String application) {
		this.subscriptions = subscriptions;
		this.factory = factory;
		this.kafka = kafka;
		this.admin = admin;
		this.transactions = transactions;
		this.inbox = inbox;
		this.application = application;
	}

	/** The consumer group (and inbox consumer name) of a subscription. */
	public String groupOf(String subscription) {
		return this.application + "." + subscription;
	}

	static String deadLetterTopic(String topic, String group) {
		return topic + "." + group + ".dlt";
	}

	@Override
	public synchronized void start() {
		for (EventSubscription subscription : this.subscriptions) {
			String group = groupOf(subscription.name());
			this.admin.createOrModifyTopics(subscription.topics()
				.stream()
				.map((topic) -> new NewTopic(deadLetterTopic(topic, group), 1, (short) -1))
				.toArray(NewTopic[]::new));
			ConcurrentMessageListenerContainer<String, byte[]> container = this.factory
				.createContainer(subscription.topics().toArray(String[]::new));
			container.getContainerProperties().setGroupId(group);
			container.getContainerProperties().setClientId(group);
			container.setBeanName(group);
			container.setupMessageListener((MessageListener<String, byte[]>) (record) -> onRecord(subscription, group, record));
			container.setCommonErrorHandler(errorHandler(group));
			container.start();
			this.containers.put(subscription.name(), container);
		}
		this.running = true;
	}

	private DefaultErrorHandler errorHandler(String group) {
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(this.kafka,
				(record, ex) -> new TopicPartition(deadLetterTopic(record.topic(), group), -1));
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
		backOff.setMaxInterval(5_000);
		backOff.setMaxElapsedTime(30_000);
		DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
		handler.addNotRetryableExceptions(MalformedEventException.class);
		// Without this a failing handler is silent until its retries run out.
		handler.setRetryListeners((record, ex, attempt) -> log.warn("{} failed on {}-{}@{} (attempt {}); retrying: {}",
				group, record.topic(), record.partition(), record.offset(), attempt, rootCause(ex).toString()));
		return handler;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	private void onRecord(EventSubscription subscription, String group, ConsumerRecord<String, byte[]> record) {
		EventEnvelope envelope = CloudEventHeaders.read(record.headers(), record.topic(), record.partition(),
				record.offset());
		EventSubscription.Route<?> route = subscription.route(envelope.type());
		if (route == null) {
			return;
		}
		if (record.value() == null) {
			throw new MalformedEventException("record has no value");
		}
		this.transactions.executeWithoutResult((status) -> {
			if (this.inbox.firstDelivery(group, envelope.id())) {
				route.dispatch(envelope, record.value());
			}
			else {
				log.debug("Skipping {} {}: {} applied it before", envelope.type(), envelope.id(), group);
			}
		});
	}

	/**
	 * Re-reads a subscription's topics from the beginning: stops its consumer, runs
	 * {@code reset} in a transaction that also clears its inbox, deletes the group's
	 * committed offsets (so it starts at the earliest retained record) and starts it again.
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
			Map<String, TopicDescription> topics = client.describeTopics(container.getContainerProperties().getTopics() == null
					? List.of() : List.of(container.getContainerProperties().getTopics())).allTopicNames().get();
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

}
