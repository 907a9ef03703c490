package dev.switchboard.platform.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import com.google.protobuf.Message;

import dev.switchboard.platform.internal.messaging.SchemaRevision;

/**
 * A named consumer of one or more topics with one handler per event type. Declare it as a
 * bean; the platform runs it as a Kafka consumer group {@code <application>.<name>} with
 * idempotent, transactional handling and a dead-letter topic per source topic. Event
 * types without a handler, and events a handler's condition turns down, are skipped
 * without touching the database: a stream carries more than any one reader needs.
 */
public final class EventSubscription {

	private final String name;

	private final List<String> topics;

	private final Map<String, Route<?>> routes;

	private EventSubscription(String name, List<String> topics, Map<String, Route<?>> routes) {
		this.name = name;
		this.topics = topics;
		this.routes = routes;
	}

	public static Builder named(String name) {
		return new Builder(name);
	}

	public String name() {
		return this.name;
	}

	public List<String> topics() {
		return this.topics;
	}

	Route<?> route(String type) {
		return this.routes.get(type);
	}

	record Route<T extends Message>(T prototype, Predicate<? super T> condition, EventHandler<T> handler) {

		/**
		 * Parses the payload and binds it to the handler; {@code null} when the condition
		 * turns the event down.
		 */
		@SuppressWarnings("unchecked")
		Runnable bind(EventEnvelope envelope, byte[] payload) {
			SchemaRevision.parse(envelope.dataschema(), envelope.type())
				.requireReadableBy(SchemaRevision.of(this.prototype.getDescriptorForType()));
			T event;
			try {
				event = (T) this.prototype.getParserForType().parseFrom(payload);
			}
			catch (com.google.protobuf.InvalidProtocolBufferException ex) {
				throw new MalformedEventException("payload is not a valid " + envelope.type(), ex);
			}
			if (!this.condition.test(event)) {
				return null;
			}
			return () -> this.handler.handle(envelope, event);
		}

	}

	public static final class Builder {

		private final String name;

		private List<String> topics = List.of();

		private final Map<String, Route<?>> routes = new LinkedHashMap<>();

		private Builder(String name) {
			this.name = Objects.requireNonNull(name);
		}

		public Builder topics(String... topics) {
			this.topics = List.of(topics);
			return this;
		}

		/**
		 * Handles events of the type of {@code prototype} (pass the message's default
		 * instance, e.g. {@code OrderCreated.getDefaultInstance()}).
		 */
		public <T extends Message> Builder on(T prototype, EventHandler<T> handler) {
			return on(prototype, (event) -> true, handler);
		}

		/**
		 * Handles the events of the type of {@code prototype} that meet
		 * {@code condition}. The others are skipped before any transaction starts, which
		 * is much cheaper than a handler that returns early.
		 */
		public <T extends Message> Builder on(T prototype, Predicate<? super T> condition, EventHandler<T> handler) {
			this.routes.put(prototype.getDescriptorForType().getFullName(),
					new Route<>(prototype, Objects.requireNonNull(condition), Objects.requireNonNull(handler)));
			return this;
		}

		public EventSubscription build() {
			if (this.topics.isEmpty() || this.routes.isEmpty()) {
				throw new IllegalStateException("Subscription " + this.name + " needs topics and at least one handler");
			}
			return new EventSubscription(this.name, this.topics, Map.copyOf(this.routes));
		}

	}

}
