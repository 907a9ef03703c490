package dev.switchboard.contracts.access;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.access.AccessPolicy.Flow;
import dev.switchboard.contracts.events.TopicSpec;
import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.contracts.queues.Queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AccessPolicyTest {

	private final AccessPolicy policy = AccessPolicy.platform();

	@Test
	void everyTopicHasWritersAndReadersAndItsOwnerIsOneOfThem() {
		for (TopicSpec topic : Topics.ALL) {
			Flow flow = this.policy.topics().get(topic.name());
			assertThat(flow).as(topic.name()).isNotNull();
			assertThat(flow.producers()).as(topic.name()).isNotEmpty();
			assertThat(flow.consumers()).as(topic.name()).isNotEmpty();
			assertThat(flow.producers().contains(topic.owner()) || flow.consumers().contains(topic.owner()))
				.as(topic.name() + " moved by its owner " + topic.owner())
				.isTrue();
		}
		assertThat(this.policy.topics()).hasSameSizeAs(Topics.ALL);
	}

	@Test
	void everyWorkQueueHasItsSendersAndConsumers() {
		for (QueueSpec queue : Queues.ALL) {
			Flow flow = this.policy.queues().get(queue.name());
			assertThat(flow).as(queue.name()).isNotNull();
			assertThat(flow.producers()).as(queue.name()).isNotEmpty();
			assertThat(flow.consumers()).as(queue.name()).isNotEmpty();
		}
		assertThat(this.policy.queues()).hasSameSizeAs(Queues.ALL);
	}

	@Test
	void onlyPaymentPublishesPaymentEventsAndOnlyOrderWritesSagaCommands() {
		assertThat(this.policy.topics().get(Topics.PAYMENT_EVENTS).producers()).containsExactly("payment");
		assertThat(this.policy.topics().get(Topics.INVENTORY_COMMANDS).producers()).containsExactly("order");
		assertThat(this.policy.topics().get(Topics.SHIPPING_COMMANDS).producers()).containsExactly("order");
		assertThat(this.policy.queues().get(Queues.PAYMENT_COMMANDS.name()).producers()).containsExactly("order");
	}

	@Test
	void onlyOrderMayMoveStockAndOnlyTheGatewayMayPlaceOrders() {
		String inventory = "switchboard.inventory.v1.InventoryService/";
		for (String method : new String[] { "CheckAndReserve", "Release", "Allocate" }) {
			assertThat(this.policy.allowsCall("order", inventory + method)).isTrue();
			assertThat(this.policy.allowsCall("shipping", inventory + method)).isFalse();
			assertThat(this.policy.allowsCall(null, inventory + method)).isFalse();
		}
		assertThat(this.policy.allowsCall("gateway", "switchboard.order.v1.OrderService/CreateOrder")).isTrue();
		assertThat(this.policy.allowsCall("payment", "switchboard.order.v1.OrderService/CreateOrder")).isFalse();
		assertThat(this.policy.allowsCall("shipping", "grpc.health.v1.Health/Check")).isTrue();
	}

	@Test
	void internalHttpIsOpenToWhomItsLongestRuleNames() {
		assertThat(this.policy.allowsHttp("analytics", "gateway", "/summary")).isTrue();
		assertThat(this.policy.allowsHttp("analytics", "shipping", "/summary")).isFalse();
		assertThat(this.policy.allowsHttp("analytics", "operator", "/summary")).as("the invariant checker").isTrue();
		assertThat(this.policy.allowsHttp("analytics", "gateway", "/admin/rebuild")).isFalse();
		assertThat(this.policy.allowsHttp("analytics", "operator", "/admin/rebuild")).isTrue();
		assertThat(this.policy.allowsHttp("payment", "order", "/internal/messages/status")).isTrue();
		assertThat(this.policy.allowsHttp("payment", "order", "/internal/payments")).isFalse();
		assertThat(this.policy.allowsHttp("shipping", "inventory", "/actuator/health/readiness")).isTrue();
		assertThat(this.policy.allowsHttp("shipping", "inventory", "/actuator/metrics")).isFalse();
		assertThat(this.policy.allowsHttp("identity", "order", "/oauth2/jwks")).isTrue();
		assertThat(this.policy.allowsHttp("identity", "order", "/oauth2/token")).isFalse();
		assertThat(this.policy.allowsHttp("notification", "gateway", "/unknown")).as("nothing grants it").isFalse();
		assertThat(this.policy.allowsHttp("notification", null, "/actuator/health")).isFalse();
		AccessPolicy read = read("""
				http:
				  "*": {/actuator/health: ["*"]}
				  a: {/summary: [b]}
				""");
		assertThat(read.allowsHttp("a", "b", "/summary/x")).isTrue();
		assertThat(read.allowsHttp("a", "b", "/summaryx")).isFalse();
		assertThat(read.allowsHttp("c", "b", "/actuator/health")).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> read("http: {a: {summary: [b]}}"))
			.withMessageContaining("a path from /");
	}

	@Test
	void readsFlowsAndRefusesWhatItDoesNotKnow() {
		AccessPolicy read = read("""
				kafka:
				  topics:
				    t: {produce: [a], consume: [b, c]}
				  queues:
				    q: {consume: [d]}
				""");
		assertThat(read.topics().get("t")).isEqualTo(new Flow(Set.of("a"), Set.of("b", "c")));
		assertThat(read.queues().get("q")).isEqualTo(new Flow(Set.of(), Set.of("d")));
		assertThatIllegalArgumentException().isThrownBy(() -> read("kafka: {streams: {}}"))
			.withMessageContaining("kafka.streams");
		assertThatIllegalArgumentException().isThrownBy(() -> read("kafka: {topics: {t: {write: [a]}}}"))
			.withMessageContaining("'write' under t");
		assertThatIllegalArgumentException().isThrownBy(() -> read("https: {}"))
			.withMessageContaining("unknown section 'https'");
		assertThatIllegalArgumentException().isThrownBy(() -> read("kafka: {topics: {t: {produce: a}}}"))
			.withMessageContaining("t.produce");
	}

	private static AccessPolicy read(String yaml) {
		return AccessPolicy.from(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
	}

}
