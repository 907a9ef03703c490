package dev.switchboard.platform.queue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.MalformedEventException;
import dev.switchboard.platform.internal.messaging.SchemaRevision;

/**
 * A service's consumers of one work queue, with one handler per message type. Declare it
 * as a bean; the platform runs it with {@code consumers} competing consumers holding at
 * most {@code prefetch} messages each, applies each message once (inbox) in a
 * transaction, and acknowledges it after that transaction commits. A message of a type
 * without a handler, or whose payload does not parse, is dead-lettered at once.
 */
public final class QueueSubscription {

	private final String name;

	private final QueueSpec queue;

	private final int consumers;

	private final int prefetch;

	private final Map<String, Route<?>> routes;

	private QueueSubscription(Builder builder) {
		this.name = builder.name;
		this.queue = builder.queue;
		this.consumers = builder.consumers;
		this.prefetch = builder.prefetch;
		this.routes = Map.copyOf(builder.routes);
	}

	public static Builder named(String name) {
		return new Builder(name);
	}

	public String name() {
		return this.name;
	}

	public QueueSpec queue() {
		return this.queue;
	}

	public int consumers() {
		return this.consumers;
	}

	public int prefetch() {
		return this.prefetch;
	}

	/**
	 * Parses the message and binds it to its handler.
	 * @throws MalformedEventException when no handler takes its type or it does not parse
	 */
	public Runnable bind(QueueMessage message) {
		Route<?> route = this.routes.get(message.type());
		if (route == null) {
			throw new MalformedEventException(this.queue.name() + " has no handler for " + message.type());
		}
		return route.bind(message);
	}

	/** Handles the messages of one type. */
	@FunctionalInterface
	public interface Handler<T extends Message> {

		void handle(QueueMessage message, T payload);

	}

	private record Route<T extends Message>(T prototype, Handler<T> handler) {

		@SuppressWarnings("unchecked")
		public Runnable bind(QueueMessage message) {
			SchemaRevision.parse(message.dataschema(), message.type())
				.requireReadableBy(SchemaRevision.of(this.prototype.getDescriptorForType()));
			T payload;
			try {
				payload = (T) this.prototype.getParserForType().parseFrom(message.payload());
			}
			catch (InvalidProtocolBufferException ex) {
				throw new MalformedEventException("payload is not a valid " + message.type(), ex);
			}
			return () -> this.handler.handle(message, payload);
		}

	}

	public static final class Builder {

		private final String name;

		private QueueSpec queue;

		private int consumers = 2;

		private int prefetch = 10;

		private final Map<String, Route<?>> routes = new LinkedHashMap<>();

		private Builder(String name) {
			this.name = Objects.requireNonNull(name);
		}

		public Builder queue(QueueSpec queue) {
			this.queue = queue;
			return this;
		}

		/** Competing consumers in this service (default 2). */
		public Builder consumers(int consumers) {
			this.consumers = consumers;
			return this;
		}

		/** Unacknowledged messages each consumer may hold (default 10). */
		public Builder prefetch(int prefetch) {
			this.prefetch = prefetch;
			return this;
		}

		/** Handles the messages whose payload has the type of {@code prototype}. */
		public <T extends Message> Builder on(T prototype, Handler<T> handler) {
			this.routes.put(prototype.getDescriptorForType().getFullName(),
					new Route<>(prototype, Objects.requireNonNull(handler)));
			return this;
		}

		public QueueSubscription build() {
			if (this.queue == null || this.routes.isEmpty() || this.consumers < 1 || this.prefetch < 1) {
				throw new IllegalStateException("Queue subscription " + this.name
						+ " needs a queue, a handler, and positive consumers and prefetch");
			}
			return new QueueSubscription(this);
		}

	}

}
