package dev.switchboard.platform.internal.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.internal.messaging.DeadLetterCount;
import dev.switchboard.platform.internal.messaging.HandledMessages;
import dev.switchboard.platform.internal.fault.FaultInjector;
import dev.switchboard.platform.internal.messaging.Inbox;
import dev.switchboard.platform.internal.messaging.MessageProgress;
import dev.switchboard.platform.internal.tracing.MessageTracing;
import dev.switchboard.platform.queue.QueueHandler;
import dev.switchboard.platform.queue.QueueMessage;
import dev.switchboard.platform.queue.QueueSubscription;
import dev.switchboard.platform.queue.WorkQueueBinding;
import dev.switchboard.platform.queue.WorkQueues;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs every {@link QueueSubscription} bean: each message's effect and its inbox entry
 * commit in one transaction, and the message is acknowledged only after that. A message
 * delivered again (its consumer died before acknowledging) finds its inbox entry and has
 * no second effect.
 *
 * <p>
 * It is also the {@code queueConsumers} health component: DOWN, with the reason, while a
 * consumer that failed waits to be started again, since the service then does not serve
 * that queue; each queue's restarts are in the details.
 */
final class QueueConsumers implements SmartLifecycle, HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(QueueConsumers.class);

	private final List<QueueSubscription> subscriptions;

	private final WorkQueues queues;

	private final TransactionTemplate transactions;

	private final Inbox inbox;

	private final MessageProgress progress;

	private final String application;

	/** The service's fault injection, or {@code null}. */
	private final FaultInjector faults;

	private final MessageTracing tracing;

	private final Map<String, WorkQueueBinding.Consumers> running = new LinkedHashMap<>();

	private volatile boolean started;

	QueueConsumers(List<QueueSubscription> subscriptions, WorkQueues queues, TransactionTemplate transactions,
			Inbox inbox, MessageProgress progress, String application, FaultInjector faults, MessageTracing tracing) {
		this.subscriptions = subscriptions;
		this.queues = queues;
		this.transactions = transactions;
		this.inbox = inbox;
		this.progress = progress;
		this.application = application;
		this.faults = faults;
		this.tracing = tracing;
		subscriptions.forEach((subscription) -> inbox.register(consumerOf(subscription)));
	}

	private String consumerOf(QueueSubscription subscription) {
		return this.application + "." + subscription.name();
	}

	@Override
	public synchronized void start() {
		for (QueueSubscription subscription : this.subscriptions) {
			String consumer = consumerOf(subscription);
			DeadLetterCount.register(subscription.queue().deadLetterName());
			WaitingGauge.register(subscription.queue().name(), () -> this.queues.waiting(subscription.queue()));
			this.running.put(subscription.queue().name(), this.queues.consume(subscription.queue(),
					subscription.consumers(), subscription.prefetch(), new QueueHandler() {

						@Override
						public void handle(QueueMessage message, int attempt) {
							apply(consumer, subscription, message);
						}

						@Override
						public boolean ready() {
							return QueueConsumers.this.inbox.reachable();
						}

					}));
		}
		this.started = true;
	}

	private void apply(String consumer, QueueSubscription subscription, QueueMessage message) {
		this.tracing.continueTrace(message.traceparent(), "process " + subscription.queue().name(), message.type(),
				message.id(), message.subject(), () -> applyOnce(consumer, subscription, message));
	}

	private void applyOnce(String consumer, QueueSubscription subscription, QueueMessage message) {
		// Taken from here on: an injected delay is this service being slow at the job.
		try (MessageProgress.Handling handling = this.progress.handling(List.of(message.id()))) {
			if (this.faults != null) {
				this.faults.beforeQueueMessage(subscription.queue().name());
			}
			Runnable effect = subscription.bind(message);
			this.transactions.executeWithoutResult((status) -> {
				if (this.inbox.firstDelivery(consumer, message.id())) {
					log.info("{} handles {} {} about {}", consumer, message.type(), message.id(), message.subject());
					effect.run();
					HandledMessages.record(subscription.queue().name(), consumer, message.time());
				}
				else {
					log.debug("Skipping {} {}: {} applied it before", message.type(), message.id(), consumer);
				}
			});
		}
	}

	@Override
	public synchronized void stop() {
		this.running.values().forEach(WorkQueueBinding.Consumers::close);
		this.running.clear();
		this.started = false;
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	@Override
	public synchronized Health health() {
		boolean down = false;
		Map<String, Object> details = new LinkedHashMap<>();
		for (Map.Entry<String, WorkQueueBinding.Consumers> queue : this.running.entrySet()) {
			List<String> failures = queue.getValue().failures();
			down |= !failures.isEmpty();
			details.put(queue.getKey(), failures.isEmpty() ? Map.of("restarts", queue.getValue().restarts())
					: Map.of("restarts", queue.getValue().restarts(), "down", failures));
		}
		return (down ? Health.down() : Health.up()).withDetails(details).build();
	}

}
