package dev.switchboard.platform.messaging;

import org.apache.kafka.clients.admin.NewTopic;

import dev.switchboard.contracts.events.Topics;

/**
 * How a topic of the platform is declared, by the service that writes it (a {@code NewTopic}
 * bean) or by a reader that finds it missing: the platform's partition count, the broker's
 * replication factor, and the retention the contract gives it ({@link Topics#configOf}).
 */
public final class PlatformTopics {

	private PlatformTopics() {
	}

	public static NewTopic newTopic(String topic) {
		return new NewTopic(topic, Topics.PARTITIONS, (short) -1).configs(Topics.configOf(topic));
	}

}
