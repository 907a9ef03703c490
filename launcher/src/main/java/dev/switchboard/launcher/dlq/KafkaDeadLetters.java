package dev.switchboard.launcher.dlq;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.contracts.queues.Queues;

/**
 * The dead letters kept on Kafka, for {@code switchboard dlq} ({@link DlqCommand}):
 * lists, shows, replays and purges the dead-letter topics of a running platform. An event
 * subscription's dead-letter topic is {@code <topic>.<group>.dlt} (one per consumer group
 * and source topic), a work queue's is {@code dlq.<queue>} (the prefix Kafka requires of
 * share-group dead-letter topics); the channel name here is that without {@code .dlt} or
 * {@code dlq.}. Subscription dead letters carry Spring Kafka's headers (where the record
 * came from, the exception that sent it there), work-queue dead letters the platform's
 * {@code dlq-*} headers (origin, reason, error, attempts), and records the broker
 * dead-lettered for a share group its {@code __dlq.*} headers. Work queues carried by
 * RabbitMQ have their dead letters there ({@link RabbitDeadLetters}).
 */
final class KafkaDeadLetters {

	static final String DEAD_LETTER_SUFFIX = ".dlt";

	/**
	 * Work queues' dead-letter topics: Kafka requires this prefix of share-group DLQs.
	 */
	static final String DEAD_LETTER_PREFIX = "dlq.";

	private static final String DLT_HEADER_PREFIX = "kafka_dlt-";

	/**
	 * Headers of work-queue dead letters (the platform's DeadLetterHeaders): reason,
	 * error, attempts, origin.
	 */
	private static final String QUEUE_DLQ_PREFIX = "dlq-";

	/**
	 * Headers the broker writes on records a share group dead-letters itself (KIP-1191).
	 */
	private static final String BROKER_DLQ_PREFIX = "__dlq.";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private KafkaDeadLetters() {
	}

	/** Lists every dead-letter channel, or works on one on Kafka. */
	static int run(DlqCommand.Request request, RabbitDeadLetters rabbit, PrintStream out)
			throws IOException, InterruptedException {
		Map<String, Object> config = new java.util.HashMap<>(request.kafkaClient());
		config.put("request.timeout.ms", (int) TIMEOUT.toMillis());
		try (Admin admin = Admin.create(config)) {
			if (request.action().equals("list")) {
				list(admin, request, rabbit, out);
				return 0;
			}
			String topic = topicOf(admin, request.channel());
			Map<TopicPartition, long[]> ranges = ranges(admin, topic);
			switch (request.action()) {
				case "show" -> show(config, ranges, request.limit(), out);
				case "replay" -> replay(admin, config, ranges, request.channel(), out);
				case "purge" -> {
					long removed = ranges.values().stream().mapToLong((r) -> r[1] - r[0]).sum();
					Map<TopicPartition, Long> ends = new HashMap<>();
					ranges.forEach((partition, range) -> ends.put(partition, range[1]));
					deleteBefore(admin, ends);
					out.printf("purged %d record%s from %s%n", removed, removed == 1 ? "" : "s", request.channel());
				}
				default -> throw new IllegalStateException(request.action());
			}
			return 0;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Kafka refused: " + ex.getCause().getMessage(), ex.getCause());
		}
	}

	/** A channel's name, from itself or from its dead-letter topic's name. */
	static String channelOf(String topicOrChannel) {
		if (topicOrChannel.startsWith(DEAD_LETTER_PREFIX)) {
			return topicOrChannel.substring(DEAD_LETTER_PREFIX.length());
		}
		if (topicOrChannel.endsWith(DEAD_LETTER_SUFFIX)) {
			return topicOrChannel.substring(0, topicOrChannel.length() - DEAD_LETTER_SUFFIX.length());
		}
		return topicOrChannel;
	}

	/**
	 * The dead-letter topic of a channel: a work queue's {@code dlq.<queue>} if it
	 * exists, else {@code <channel>.dlt}.
	 */
	private static String topicOf(Admin admin, String channel) throws ExecutionException, InterruptedException {
		String queueTopic = DEAD_LETTER_PREFIX + channel;
		return admin.listTopics().names().get().contains(queueTopic) ? queueTopic : channel + DEAD_LETTER_SUFFIX;
	}

	private static void list(Admin admin, DlqCommand.Request request, RabbitDeadLetters rabbit, PrintStream out)
			throws ExecutionException, InterruptedException, IOException {
		Map<String, Long> kafka = new TreeMap<>();
		List<String> deadLetterTopics = admin.listTopics()
			.names()
			.get()
			.stream()
			.filter((name) -> name.endsWith(DEAD_LETTER_SUFFIX) || name.startsWith(DEAD_LETTER_PREFIX))
			.toList();
		ranges(admin, deadLetterTopics)
			.forEach((topic, ranges) -> kafka.put(topic, ranges.values().stream().mapToLong((r) -> r[1] - r[0]).sum()));
		Map<String, Long> rabbitmq = new TreeMap<>();
		if (rabbit != null) {
			for (QueueSpec queue : Queues.ALL) {
				long records = rabbit.count(queue.name());
				if (records >= 0 && DlqCommand.onRabbitMQ(request, queue.name(), records)) {
					rabbitmq.put(queue.name(), records);
				}
			}
		}
		Map<String, Long> outboxes = new TreeMap<>();
		Optional<DeadOutboxes> dead = DlqCommand.deadOutboxes(request);
		if (dead.isPresent()) {
			try {
				outboxes.putAll(dead.get().counts());
			}
			catch (SQLException ex) {
				out.println("(the services' dead outboxes could not be read: " + ex.getMessage() + ")");
			}
		}
		if (kafka.isEmpty() && rabbitmq.isEmpty() && outboxes.isEmpty()) {
			out.println("no dead-letter channels");
			return;
		}
		out.printf("%-70s %-9s %s%n", "CHANNEL", "BROKER", "RECORDS");
		kafka.forEach((topic, records) -> out.printf("%-70s %-9s %d%n", channelOf(topic), "kafka", records));
		rabbitmq.forEach((queue, records) -> out.printf("%-70s %-9s %d%n", queue, "rabbitmq", records));
		outboxes.forEach((channel, records) -> out.printf("%-70s %-9s %d%n", channel, "postgres", records));
	}

	/**
	 * For each partition of {@code topic}: its first and next offsets,
	 * {@code [start, end)}.
	 */
	private static Map<TopicPartition, long[]> ranges(Admin admin, String topic)
			throws ExecutionException, InterruptedException {
		try {
			return ranges(admin, List.of(topic)).get(topic);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				throw new IllegalArgumentException(
						"no dead-letter channel " + channelOf(topic) + " (switchboard dlq list shows them)", ex);
			}
			throw ex;
		}
	}

	/**
	 * {@link #ranges(Admin, String)} of several topics in three requests, whatever their
	 * number: one describing them, one for the first offsets of all their partitions, one
	 * for the next.
	 */
	private static Map<String, Map<TopicPartition, long[]>> ranges(Admin admin, Collection<String> topics)
			throws ExecutionException, InterruptedException {
		Map<String, Map<TopicPartition, long[]>> ranges = new TreeMap<>();
		if (topics.isEmpty()) {
			return ranges;
		}
		Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> {
			ranges.put(topic, new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition())));
			description.partitions().forEach((p) -> {
				earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
				latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
			});
		});
		var starts = admin.listOffsets(earliest).all().get();
		var ends = admin.listOffsets(latest).all().get();
		starts.forEach((partition, start) -> ranges.get(partition.topic())
			.put(partition, new long[] { start.offset(), ends.get(partition).offset() }));
		return ranges;
	}

	/** Every record in {@code ranges}, read once, in partition and offset order. */
	private static List<ConsumerRecord<byte[], byte[]>> read(Map<String, Object> config,
			Map<TopicPartition, long[]> ranges, int limit) {
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		Map<String, Object> consumerConfig = new HashMap<>(config);
		consumerConfig.put("enable.auto.commit", false);
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			for (Map.Entry<TopicPartition, long[]> range : ranges.entrySet()) {
				long start = range.getValue()[0];
				long end = range.getValue()[1];
				if (start >= end) {
					continue;
				}
				consumer.assign(List.of(range.getKey()));
				consumer.seek(range.getKey(), start);
				long deadline = System.nanoTime() + TIMEOUT.toNanos();
				long next = start;
				while (next < end && records.size() < limit) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("timed out reading " + range.getKey());
					}
					for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
						if (record.offset() < end && records.size() < limit) {
							records.add(record);
						}
						next = record.offset() + 1;
					}
				}
			}
		}
		return records;
	}

	private static void show(Map<String, Object> config, Map<TopicPartition, long[]> ranges, int limit,
			PrintStream out) {
		long total = ranges.values().stream().mapToLong((r) -> r[1] - r[0]).sum();
		List<ConsumerRecord<byte[], byte[]>> records = read(config, ranges, limit);
		out.printf("%d record%s%s%n", total, total == 1 ? "" : "s",
				records.size() < total ? " (showing the first " + records.size() + ")" : "");
		for (ConsumerRecord<byte[], byte[]> record : records) {
			out.printf("%n%d@%d  dead-lettered %s%n", record.partition(), record.offset(),
					Instant.ofEpochMilli(record.timestamp()));
			out.printf("  type     %s%n", text(record, "ce_type"));
			out.printf("  id       %s%n", text(record, "ce_id"));
			out.printf("  subject  %s%n", text(record, "ce_subject"));
			if (text(record, QUEUE_DLQ_PREFIX + "origin") != null) {
				out.printf("  from     queue %s%n", text(record, QUEUE_DLQ_PREFIX + "origin"));
				out.printf("  attempts %s%n", text(record, QUEUE_DLQ_PREFIX + "attempts"));
				out.printf("  reason   %s: %s%n", text(record, QUEUE_DLQ_PREFIX + "reason"),
						oneLine(text(record, QUEUE_DLQ_PREFIX + "error")));
			}
			else if (text(record, DLT_HEADER_PREFIX + "original-topic") != null) {
				out.printf("  from     %s-%s@%s%n", text(record, DLT_HEADER_PREFIX + "original-topic"),
						number(record, DLT_HEADER_PREFIX + "original-partition"),
						number(record, DLT_HEADER_PREFIX + "original-offset"));
				out.printf("  reason   %s%n", oneLine(text(record, DLT_HEADER_PREFIX + "exception-message")));
			}
			else {
				for (Header header : record.headers()) {
					if (header.key().startsWith(BROKER_DLQ_PREFIX)) {
						out.printf("  %s %s%n", header.key(), oneLine(text(record, header.key())));
					}
				}
			}
		}
	}

	private static void replay(Admin admin, Map<String, Object> config, Map<TopicPartition, long[]> ranges,
			String channel, PrintStream out) throws ExecutionException, InterruptedException {
		List<ConsumerRecord<byte[], byte[]>> records = read(config, ranges, Integer.MAX_VALUE);
		Map<String, Object> producerConfig = new HashMap<>(config);
		producerConfig.put("acks", "all");
		producerConfig.put("enable.idempotence", true);
		Map<String, Integer> byTopic = new TreeMap<>();
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
				new ByteArraySerializer())) {
			List<Future<?>> acks = new ArrayList<>();
			for (ConsumerRecord<byte[], byte[]> record : records) {
				String origin = originOf(record);
				if (origin == null) {
					throw new IllegalStateException("record " + record.partition() + "@" + record.offset()
							+ " does not say which topic it came from; nothing was replayed");
				}
				RecordHeaders headers = new RecordHeaders();
				for (Header header : record.headers()) {
					if (!header.key().startsWith(DLT_HEADER_PREFIX) && !header.key().startsWith(QUEUE_DLQ_PREFIX)
							&& !header.key().startsWith(BROKER_DLQ_PREFIX)) {
						headers.add(header);
					}
				}
				acks.add(producer.send(new ProducerRecord<>(origin, null, record.key(), record.value(), headers)));
				byTopic.merge(origin, 1, Integer::sum);
			}
			for (Future<?> ack : acks) {
				ack.get();
			}
		}
		// Only what was read and acknowledged leaves the channel; records that arrived
		// since stay.
		Map<TopicPartition, Long> replayed = new HashMap<>();
		for (ConsumerRecord<byte[], byte[]> record : records) {
			replayed.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
		}
		deleteBefore(admin, replayed);
		out.printf("replayed %d record%s of %s to %s%n", records.size(), records.size() == 1 ? "" : "s", channel,
				byTopic.isEmpty() ? "nothing" : byTopic);
	}

	/** Deletes each partition's records before the given offset. */
	private static void deleteBefore(Admin admin, Map<TopicPartition, Long> offsets)
			throws ExecutionException, InterruptedException {
		if (offsets.isEmpty()) {
			return;
		}
		Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
		offsets.forEach((partition, offset) -> deletions.put(partition, RecordsToDelete.beforeOffset(offset)));
		admin.deleteRecords(deletions).all().get();
	}

	/** The topic a dead letter came from: a subscription's or a work queue's. */
	private static String originOf(ConsumerRecord<?, ?> record) {
		String topic = text(record, DLT_HEADER_PREFIX + "original-topic");
		return (topic != null) ? topic : text(record, QUEUE_DLQ_PREFIX + "origin");
	}

	private static String text(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	/** A Spring Kafka dead-letter header holding an int or a long. */
	private static String number(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		if (header == null || header.value() == null) {
			return "?";
		}
		ByteBuffer value = ByteBuffer.wrap(header.value());
		return switch (header.value().length) {
			case Integer.BYTES -> Integer.toString(value.getInt());
			case Long.BYTES -> Long.toString(value.getLong());
			default -> "?";
		};
	}

	static String oneLine(String text) {
		if (text == null) {
			return "(not recorded)";
		}
		String line = text.replaceAll("\\s+", " ").strip();
		return line.length() > 300 ? line.substring(0, 300) + "..." : line;
	}

}
