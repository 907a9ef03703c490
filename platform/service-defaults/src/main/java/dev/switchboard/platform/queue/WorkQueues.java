package dev.switchboard.platform.queue;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.internal.queue.WorkQueueProperties.Binding;
import dev.switchboard.platform.internal.queue.WorkQueueProperties;

/**
 * The work queues a service sends to or consumes from, each on the broker its
 * configuration binds it to. Every queue is declared (created if missing) when the
 * service starts: declare a {@link QueueSpec} bean for each queue the service uses.
 */
public final class WorkQueues implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(WorkQueues.class);

	private final Map<String, QueueSpec> queues = new LinkedHashMap<>();

	private final Map<String, WorkQueueBinding> bindingOfQueue = new LinkedHashMap<>();

	private final Map<Binding, WorkQueueBinding> bindings = new EnumMap<>(Binding.class);

	public WorkQueues(List<QueueSpec> declared, WorkQueueProperties properties,
			Function<Binding, WorkQueueBinding> connect) {
		for (QueueSpec queue : declared) {
			QueueSpec previous = this.queues.putIfAbsent(queue.name(), queue);
			if (previous != null && !previous.equals(queue)) {
				throw new IllegalStateException(
						"Queue " + queue.name() + " is declared twice, differently: " + previous + " and " + queue);
			}
			Binding binding = properties.bindingOf(queue.name());
			WorkQueueBinding broker = this.bindings.computeIfAbsent(binding, connect);
			broker.declare(queue);
			this.bindingOfQueue.put(queue.name(), broker);
			log.info("Work queue {} on {}", queue.name(), binding.name().toLowerCase(java.util.Locale.ROOT));
		}
	}

	/** Whether this service declares a queue of that name. */
	public boolean declares(String name) {
		return this.queues.containsKey(name);
	}

	/** The declared queue of that name. */
	public QueueSpec spec(String name) {
		QueueSpec queue = this.queues.get(name);
		if (queue == null) {
			throw new IllegalArgumentException(
					"No work queue " + name + " is declared in this service; declare its QueueSpec as a bean");
		}
		return queue;
	}

	public CompletableFuture<Void> send(QueueSpec queue, QueueMessage message) {
		return bindingOf(queue).send(queue, message);
	}

	public WorkQueueBinding.Consumers consume(QueueSpec queue, int consumers, int prefetch, QueueHandler handler) {
		return bindingOf(queue).consume(queue, consumers, prefetch, handler);
	}

	/** How many messages wait in the queue; see {@link WorkQueueBinding#waiting}. */
	public long waiting(QueueSpec queue) {
		return bindingOf(queue).waiting(queue);
	}

	private WorkQueueBinding bindingOf(QueueSpec queue) {
		if (!queue.equals(spec(queue.name()))) {
			throw new IllegalArgumentException("Queue " + queue.name() + " is used with another spec than declared");
		}
		return this.bindingOfQueue.get(queue.name());
	}

	@Override
	public void close() {
		this.bindings.values().forEach(WorkQueueBinding::close);
	}

}
