package dev.switchboard.analytics;

import java.time.Duration;
import java.util.UUID;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;

import dev.switchboard.analytics.application.port.in.SummarizeOrdersUseCase;
import dev.switchboard.analytics.domain.OrderSummary;
import dev.switchboard.contracts.analytics.v1.AnalyticsServiceGrpc;
import dev.switchboard.contracts.analytics.v1.GetSummaryRequest;
import dev.switchboard.contracts.analytics.v1.Summary;
import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.platform.messaging.EventConsumers;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.testing.TestEvents;
import dev.switchboard.testing.ServiceIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ServiceIntegrationTest(service = "analytics", topics = Topics.ORDER_EVENTS, properties = "server.port=0")
class AnalyticsIntegrationTest {

	private static final int GRPC_PORT = FreePorts.next();

	@DynamicPropertySource
	static void grpc(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.server.port", () -> GRPC_PORT);
	}

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

	@Test
	void theSummaryReadsTheSameOverGrpc() {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
		try {
			OrderSummary before = this.summary.summary();
			String orderId = UUID.randomUUID().toString();
			TestEvents.publish(Topics.ORDER_EVENTS, orderId,
					OrderCompleted.newBuilder().setOrderId(orderId).setTotalCents(1234).build());
			OrderSummary expected = new OrderSummary(before.ordersCreated(), before.ordersCompleted() + 1,
					before.ordersCancelled(), before.revenueCents() + 1234);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.summary.summary().equals(expected));

			Summary read = AnalyticsServiceGrpc.newBlockingStub(channel)
				.withDeadlineAfter(Duration.ofSeconds(10))
				.getSummary(GetSummaryRequest.getDefaultInstance());

			assertThat(new OrderSummary(read.getOrdersCreated(), read.getOrdersCompleted(), read.getOrdersCancelled(),
					read.getRevenueCents()))
				.isEqualTo(expected);
		}
		finally {
			channel.shutdownNow();
		}
	}

}
