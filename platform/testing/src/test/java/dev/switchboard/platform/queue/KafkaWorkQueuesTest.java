package dev.switchboard.platform.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import dev.switchboard.contracts.queues.QueueSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.testing.SharedInfrastructure;

/** The work-queue contract on Kafka share groups, against an embedded broker. */
class KafkaWorkQueuesTest extends WorkQueueContract {

	private static KafkaWorkQueues binding;

	@BeforeAll
	static void connect() {
		binding = new KafkaWorkQueues(SharedInfrastructure.kafkaBootstrapServers(), "contract-test", 3);
	}

	@AfterAll
	static void disconnect() {
		binding.close();
	}

	@Override
	protected WorkQueueBinding binding() {
		return binding;
	}

	@Override
	protected List<DeadLetter> deadLetters(QueueSpec queue) {
		TopicPartition partition = new TopicPartition(queue.deadLetterName(), 0);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers()),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			long end = consumer.endOffsets(List.of(partition)).get(partition);
			List<DeadLetter> letters = new ArrayList<>();
			while (consumer.position(partition) < end) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					Headers headers = record.headers();
					String attempts = header(headers, DeadLetterHeaders.ATTEMPTS);
					letters.add(new DeadLetter(header(headers, CloudEventHeaders.ID),
							header(headers, DeadLetterHeaders.REASON), (attempts != null) ? Integer.parseInt(attempts) : 0,
							header(headers, DeadLetterHeaders.ORIGIN)));
				}
			}
			return letters;
		}
	}

	private static String header(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
