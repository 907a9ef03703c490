package dev.switchboard.platform.internal.messaging;

import org.apache.kafka.clients.admin.NewTopic;

import dev.switchboard.contracts.events.Topics;

/**
 * How a topic of the platform is declared, by the service that writes it (a
 * {@code NewTopic} bean) or by a reader that finds it missing: the platform's partition
 * count, the broker's replication factor, and the retention the contract gives it
 * ({@link Topics#configOf}).
 */
public final class PlatformTopics {

	private PlatformTopics() {
	}

	/**
	 * The topics {@code service} writes ({@link Topics#ownedBy}), as it creates them when
	 * it starts.
	 */
	static NewTopic[] ownedBy(String service) {
		return Topics.ownedBy(service).stream().map((topic) -> newTopic(topic.name())).toArray(NewTopic[]::new);
	}

	public static NewTopic newTopic(String topic) {
		return new NewTopic(topic, Topics.PARTITIONS, (short) -1).configs(Topics.configOf(topic));
	}

}
