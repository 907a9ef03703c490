package dev.switchboard.analytics;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.analytics.application.port.in.SummarizeOrdersUseCase;
import dev.switchboard.analytics.domain.OrderSummary;
import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.platform.messaging.EventConsumers;
import dev.switchboard.testing.TestEvents;
import dev.switchboard.testing.ServiceIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ServiceIntegrationTest(service = "analytics", topics = Topics.ORDER_EVENTS, properties = "server.port=0")
class AnalyticsIntegrationTest {

	@Autowired
	SummarizeOrdersUseCase summary;

	@Autowired
	EventConsumers consumers;

	@Test
	void countsEachEventOnceAndRebuildsTheSameTotalsFromTheStream() {
		OrderSummary before = this.summary.summary();
		String completed = UUID.randomUUID().toString();
		String cancelled = UUID.randomUUID().toString();
		String createdId = TestEvents.publish(Topics.ORDER_EVENTS, completed,
				OrderCreated.newBuilder().setOrderId(completed).build());
		TestEvents.publish(Topics.ORDER_EVENTS, completed, OrderCreated.newBuilder().setOrderId(completed).build(),
				createdId);
		TestEvents.publish(Topics.ORDER_EVENTS, completed,
				OrderCompleted.newBuilder().setOrderId(completed).setTotalCents(2500).build());
		TestEvents.publish(Topics.ORDER_EVENTS, cancelled, OrderCreated.newBuilder().setOrderId(cancelled).build());
		TestEvents.publish(Topics.ORDER_EVENTS, cancelled, OrderCancelled.newBuilder().setOrderId(cancelled).build());

		OrderSummary expected = new OrderSummary(before.ordersCreated() + 2, before.ordersCompleted() + 1,
				before.ordersCancelled() + 1, before.revenueCents() + 2500);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.summary.summary().equals(expected));

		this.consumers.replayFromBeginning("summary", this.summary::reset);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.summary.summary().equals(expected));
		assertThat(this.summary.summary()).isEqualTo(expected);
	}

}
