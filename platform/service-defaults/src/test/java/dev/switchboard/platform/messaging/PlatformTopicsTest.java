package dev.switchboard.platform.messaging;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformTopicsTest {

	@Test
	void aTopicIsDeclaredWithThePlatformsPartitionsTheBrokersReplicationAndItsContractsRetention() {
		NewTopic facts = PlatformTopics.newTopic(Topics.ORDER_EVENTS);
		NewTopic commands = PlatformTopics.newTopic(Topics.INVENTORY_COMMANDS);

		assertThat(facts.name()).isEqualTo(Topics.ORDER_EVENTS);
		assertThat(facts.numPartitions()).isEqualTo(Topics.PARTITIONS);
		assertThat(facts.replicationFactor()).isEqualTo((short) -1);
		assertThat(facts.configs()).isEqualTo(Topics.configOf(Topics.ORDER_EVENTS));
		assertThat(commands.configs()).isEqualTo(Topics.configOf(Topics.INVENTORY_COMMANDS))
			.isNotEqualTo(facts.configs());
	}

}
