package dev.switchboard.platform.internal.tracing;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.google.protobuf.StringValue;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.outbox.Outbox;
import dev.switchboard.platform.queue.QueueSubscription;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestEvents;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across two hops: a request writes an event, the event's consumer enqueues a
 * command, the command's consumer runs. Every hop runs in the trace the request started,
 * each in a span of its own, and the record on the topic says which trace it belongs to.
 */
@SpringBootTest(classes = TracePropagationIntegrationTest.App.class,
		properties = { "spring.application.name=tracing-test", "server.port=0", "spring.flyway.enabled=false",
				// Sampled spans know their parent, which the assertions check.
				"management.tracing.sampling.probability=1.0" })
class TracePropagationIntegrationTest {

	static final String TOPIC = "tracing.test";

	static final QueueSpec QUEUE = QueueSpec.named("tracing.test.commands");

	/** The trace context each consumer ran in, by the text of the message it handled. */
	static final Map<String, TraceContext> seen = new ConcurrentHashMap<>();

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	Tracer tracer;

	@Autowired
	MessageTracing messageTracing;

	@Autowired
	InMemorySpanExporter spans;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		SharedInfrastructure.register(registry, "tracing");
		TestEvents.createTopics(TOPIC);
	}

	@Test
	void aRequestsTraceContinuesThroughAnEventAndTheCommandItsConsumerEnqueues() {
		String text = "hop-" + UUID.randomUUID();
		Span request = this.tracer.nextSpan().name("test request").start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(request)) {
			this.transactions.executeWithoutResult((status) -> this.outbox.add(TOPIC, text, StringValue.of(text)));
		}
		finally {
			request.end();
		}
		String traceId = request.context().traceId();

		await().atMost(Duration.ofSeconds(60)).until(() -> seen.containsKey("command " + text));

		TraceContext event = seen.get("event " + text);
		TraceContext command = seen.get("command " + text);
		assertThat(event.traceId()).isEqualTo(traceId);
		assertThat(event.parentId()).isEqualTo(request.context().spanId());
		assertThat(command.traceId()).isEqualTo(traceId);
		assertThat(command.parentId()).isEqualTo(event.spanId());
		// version-traceid-parentid-flags; the flags say sampled (and, in W3C level 2, a
		// random trace id).
		assertThat(traceparentOnTheTopic(text)).startsWith("00-" + traceId + "-" + request.context().spanId() + "-");

		// Exported: the relay's publish span from the request's commit to the broker's
		// ack, and the consumer's span, which also links to the context that wrote the
		// message (the hop follows from it); each names the order (the record's key).
		await().atMost(Duration.ofSeconds(30))
			.until(() -> exported(traceId, "publish " + TOPIC) != null && exported(traceId, "process " + TOPIC) != null
					&& exported(traceId, "publish " + QUEUE.name()) != null);
		SpanData publish = exported(traceId, "publish " + TOPIC);
		assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
		assertThat(publish.getParentSpanId()).isEqualTo(request.context().spanId());
		assertThat(publish.getAttributes().get(AttributeKey.stringKey(MessageTracing.ORDER_ID))).isEqualTo(text);
		assertThat(publish.getEndEpochNanos()).isGreaterThan(publish.getStartEpochNanos());
		SpanData process = exported(traceId, "process " + TOPIC);
		assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
		assertThat(process.getSpanId()).isEqualTo(event.spanId());
		assertThat(process.getAttributes().get(AttributeKey.stringKey(MessageTracing.ORDER_ID))).isEqualTo(text);
		assertThat(process.getLinks()).singleElement()
			.satisfies((link) -> assertThat(link.getSpanContext().getSpanId()).isEqualTo(request.context().spanId()));
		assertThat(exported(traceId, "publish " + QUEUE.name()).getParentSpanId()).isEqualTo(event.spanId());
	}

	private SpanData exported(String traceId, String name) {
		return this.spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getTraceId().equals(traceId) && span.getName().equals(name))
			.findFirst()
			.orElse(null);
	}

	@Test
	void aMessageWrittenOutsideAnyTraceStartsOneAtItsConsumer() {
		String text = "untraced-" + UUID.randomUUID();
		this.transactions.executeWithoutResult((status) -> this.outbox.add(TOPIC, text, StringValue.of(text)));

		await().atMost(Duration.ofSeconds(60)).until(() -> seen.containsKey("command " + text));

		assertThat(traceparentOnTheTopic(text)).isNull();
		TraceContext event = seen.get("event " + text);
		assertThat(event.traceId()).isNotBlank();
		assertThat(event.parentId()).isNull();
		assertThat(seen.get("command " + text).traceId()).isEqualTo(event.traceId());
	}

	@Test
	void anUnreadableTraceparentCostsTheMessageNothingAndStartsATrace() {
		TraceContext[] ran = new TraceContext[1];

		this.messageTracing.continueTrace("00-not-a-trace-01", "process test", "test.Message", "m-1", null,
				() -> ran[0] = this.tracer.currentSpan().context());

		assertThat(ran[0]).isNotNull();
		assertThat(ran[0].traceId()).hasSize(32).isNotEqualTo("0".repeat(32));
		assertThat(ran[0].parentId()).isNull();
	}

	private static String traceparentOnTheTopic(String key) {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers(), "group.id",
						"tracing-reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(Set.of(TOPIC));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					if (key.equals(record.key())) {
						Header header = record.headers().lastHeader(CloudEventHeaders.TRACEPARENT);
						return (header != null) ? new String(header.value()) : null;
					}
				}
			}
		}
		throw new AssertionError("No record with key " + key + " on " + TOPIC);
	}

	@SpringBootApplication
	static class App {

		/** Boot's OpenTelemetry configuration hands every exporter bean the spans. */
		@Bean
		InMemorySpanExporter spans() {
			return InMemorySpanExporter.create();
		}

		@Bean
		EventSubscription events(Outbox outbox, Tracer tracer) {
			return EventSubscription.named("events")
				.topics(TOPIC)
				.on(StringValue.getDefaultInstance(), (envelope, event) -> {
					seen.put("event " + event.getValue(), tracer.currentSpan().context());
					outbox.enqueue(QUEUE, event.getValue(), event);
				})
				.build();
		}

		@Bean
		QueueSubscription commands(Tracer tracer) {
			return QueueSubscription.named("commands")
				.queue(QUEUE)
				.on(StringValue.getDefaultInstance(),
						(message, command) -> seen.put("command " + command.getValue(), tracer.currentSpan().context()))
				.build();
		}

	}

}
