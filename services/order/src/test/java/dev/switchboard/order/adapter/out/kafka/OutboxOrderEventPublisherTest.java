package dev.switchboard.order.adapter.out.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Message;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.OrderStatus;
import dev.switchboard.order.domain.ShippingAddress;
import dev.switchboard.order.domain.saga.SagaMode;
import dev.switchboard.platform.outbox.Outbox;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxOrderEventPublisherTest {

	final List<String> written = new ArrayList<>();

	final OutboxOrderEventPublisher publisher = new OutboxOrderEventPublisher(new Outbox() {
		@Override
		public String add(String topic, String key, Message event) {
			OutboxOrderEventPublisherTest.this.written.add(topic + " " + event.getDescriptorForType().getName());
			return "id-" + OutboxOrderEventPublisherTest.this.written.size();
		}

		@Override
		public String enqueue(QueueSpec queue, String subject, Message command, int priority, Duration timeToLive) {
			throw new AssertionError("order events are not commands");
		}
	});

	final Order order = new Order("o-1", "c-1", OrderStatus.CANCELLED, List.of(new OrderLine("SKU-0001", 1, 100)),
			new ShippingAddress("US", "Austin", "1 Main St", "78701"), "declined", Instant.EPOCH, Instant.EPOCH);

	@Test
	void anOrchestratedOrdersEventsGoOnlyToTheOrderEventsSoChoreographyParticipantsSleep() {
		this.publisher.created(this.order, "tok_visa", SagaMode.ORCHESTRATION);
		this.publisher.cancelled(this.order, SagaMode.ORCHESTRATION);

		assertThat(this.written).containsExactly(Topics.ORDER_EVENTS + " OrderCreated",
				Topics.ORDER_EVENTS + " OrderCancelled");
	}

	@Test
	void aChoreographedOrdersSagaEventsAlsoGoToItsParticipants() {
		this.publisher.created(this.order, "tok_visa", SagaMode.CHOREOGRAPHY);
		this.publisher.cancelled(this.order, SagaMode.CHOREOGRAPHY);
		this.publisher.completed(this.order, "s-1");

		assertThat(this.written).containsExactly(Topics.ORDER_EVENTS + " OrderCreated",
				Topics.ORDER_CHOREOGRAPHY + " OrderCreated", Topics.ORDER_EVENTS + " OrderCancelled",
				Topics.ORDER_CHOREOGRAPHY + " OrderCancelled", Topics.ORDER_EVENTS + " OrderCompleted");
	}

}
