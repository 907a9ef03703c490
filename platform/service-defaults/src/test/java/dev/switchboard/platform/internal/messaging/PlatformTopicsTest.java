package dev.switchboard.platform.internal.messaging;

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
		assertThat(facts.configs()).containsEntry("retention.ms", "-1");
		assertThat(commands.configs()).containsEntry("retention.ms", "604800000");
	}

	@Test
	void eachServiceCreatesTheTopicsItWrites() {
		assertThat(PlatformTopics.ownedBy("order")).extracting(NewTopic::name)
			.containsExactlyInAnyOrder(Topics.ORDER_EVENTS, Topics.ORDER_CHOREOGRAPHY, Topics.INVENTORY_COMMANDS,
					Topics.SHIPPING_COMMANDS, Topics.PAYMENT_COMMAND_STREAM, Topics.SAGA_REPLIES);
		assertThat(PlatformTopics.ownedBy("payment")).extracting(NewTopic::name).containsExactly(Topics.PAYMENT_EVENTS);
		assertThat(PlatformTopics.ownedBy("analytics")).isEmpty();
		assertThat(Topics.ALL).extracting((t) -> t.owner())
			.allMatch((owner) -> java.util.List.of("order", "payment", "inventory", "shipping").contains(owner)
					|| owner.equals("notification"));
	}

}
