package dev.switchboard.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.switchboard.platform.messaging.CloudEventHeaders;

/**
 * Publishes and reads events on the shared test broker the way services do: protobuf
 * values with CloudEvents headers, keyed by order id.
 */
public final class TestEvents {

	private TestEvents() {
	}

	/** Creates topics that another service would own in the real platform. */
	public static void createTopics(String... topics) {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
			for (String topic : topics) {
				try {
					admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof TopicExistsException)) {
						throw new IllegalStateException(ex);
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Publishes {@code event} with a fresh event id; returns the id. */
	public static String publish(String topic, String key, Message event) {
		String id = UUID.randomUUID().toString();
		publish(topic, key, event, id);
		return id;
	}

	/** Publishes {@code event} with the given event id, as a redelivery would. */
	public static void publish(String topic, String key, Message event, String eventId) {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()), new StringSerializer(),
				new ByteArraySerializer())) {
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, event.toByteArray());
			CloudEventHeaders.write(record.headers(), eventId, event.getDescriptorForType().getFullName(), "test",
					Instant.now(), key);
			producer.send(record).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Every event of {@code prototype}'s type about {@code key} on {@code topic} so far.
	 */
	@SuppressWarnings("unchecked")
	public static <T extends Message> List<T> read(String topic, String key, T prototype) {
		List<T> found = new ArrayList<>();
		String type = prototype.getDescriptorForType().getFullName();
		try {
			for (ConsumerRecord<String, byte[]> record : records(topic)) {
				var header = record.headers().lastHeader(CloudEventHeaders.TYPE);
				if (key.equals(record.key()) && header != null && type.equals(new String(header.value()))) {
					found.add((T) prototype.getParserForType().parseFrom(record.value()));
				}
			}
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException(ex);
		}
		return found;
	}

	/** Every record on {@code topic} so far, read by a new consumer group. */
	public static List<ConsumerRecord<String, byte[]>> records(String topic) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers(), "group.id",
						"test-reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(Set.of(topic));
			// Read until a poll after the assignment returns nothing new.
			int emptyPolls = 0;
			while (emptyPolls < 3) {
				var polled = consumer.poll(Duration.ofMillis(500));
				if (polled.isEmpty() && !consumer.assignment().isEmpty()) {
					emptyPolls++;
				}
				polled.forEach(records::add);
			}
		}
		return records;
	}

}
