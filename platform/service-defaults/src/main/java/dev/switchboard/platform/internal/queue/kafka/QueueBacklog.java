package dev.switchboard.platform.internal.queue.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;

import dev.switchboard.contracts.queues.QueueSpec;

/**
 * How many messages wait in a queue, for its maximum length: measured through the share
 * groups' lag, plus what this sender sent since the last measurement.
 */
final class QueueBacklog {

	private final QueueSpec queue;

	private final Admin admin;

	/** The share groups' lag at the last measurement. */
	private long measured;

	/** Sends acknowledged by the broker since the last measurement began. */
	private long ackedSince;

	/**
	 * Sends not yet acknowledged: not in the end offsets yet, whatever a measurement
	 * says.
	 */
	private long inFlight;

	private boolean everMeasured;

	private long measuredAt;

	QueueBacklog(QueueSpec queue, Admin admin) {
		this.queue = queue;
		this.admin = admin;
	}

	/**
	 * Counts a send in if the queue has room; the caller reports its outcome with
	 * {@link #sent} or {@link #failed}.
	 */
	synchronized boolean tryReserve() {
		if (!this.everMeasured || KafkaWorkQueues.measureBacklog(estimate(), this.queue.maxLength(),
				Duration.ofNanos(System.nanoTime() - this.measuredAt))) {
			measure();
		}
		if (isFull()) {
			return false;
		}
		this.inFlight++;
		return true;
	}

	synchronized void sent() {
		this.inFlight--;
		this.ackedSince++;
	}

	synchronized void failed() {
		this.inFlight--;
	}

	/**
	 * Errs on the full side: a send acknowledged while a measurement runs may be counted
	 * twice until the next one.
	 */
	private boolean isFull() {
		return estimate() >= this.queue.maxLength();
	}

	/** At least the messages waiting, if this is the only sender. */
	private long estimate() {
		return this.measured + this.ackedSince + this.inFlight;
	}

	private void measure() {
		this.ackedSince = 0;
		this.measured = lagNow();
		this.measuredAt = System.nanoTime();
		this.everMeasured = true;
	}

	/** Records of every level's topic that its share group has not yet acknowledged. */
	long lagNow() {
		long total = 0;
		for (int level = 0; level < this.queue.priorities(); level++) {
			total += lag(KafkaWorkQueues.topicOf(this.queue, level));
		}
		return total;
	}

	/** Records of the topic its share group has not yet acknowledged. */
	private long lag(String topic) {
		try {
			Map<TopicPartition, SharePartitionOffsetInfo> offsets = this.admin
				.listShareGroupOffsets(Map.of(topic, new ListShareGroupOffsetsSpec()))
				.partitionsToOffsetInfo(topic)
				.get(10, TimeUnit.SECONDS);
			Set<TopicPartition> partitions = partitionsOf(topic);
			Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
			Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest());
			long lag = 0;
			for (TopicPartition partition : partitions) {
				SharePartitionOffsetInfo info = offsets.get(partition);
				if (info != null && info.lag().isPresent()) {
					lag += info.lag().get();
				}
				else {
					long start = (info != null) ? Math.max(info.startOffset(), starts.get(partition))
							: starts.get(partition);
					lag += Math.max(0, ends.get(partition) - start);
				}
			}
			return lag;
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not measure the backlog of " + topic, ex);
		}
		catch (InterruptedException ex) {
			throw KafkaWorkQueues.interruptedOrTimedOut("measuring the backlog of " + topic, ex);
		}
	}

	private Set<TopicPartition> partitionsOf(String topic)
			throws InterruptedException, ExecutionException, TimeoutException {
		return this.admin.describeTopics(List.of(topic))
			.allTopicNames()
			.get(10, TimeUnit.SECONDS)
			.get(topic)
			.partitions()
			.stream()
			.map((p) -> new TopicPartition(topic, p.partition()))
			.collect(Collectors.toSet());
	}

	private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec)
			throws InterruptedException, ExecutionException, TimeoutException {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		partitions.forEach((p) -> request.put(p, spec));
		Map<TopicPartition, Long> result = new HashMap<>();
		this.admin.listOffsets(request)
			.all()
			.get(10, TimeUnit.SECONDS)
			.forEach((p, info) -> result.put(p, info.offset()));
		return result;
	}

}
