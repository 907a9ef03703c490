package dev.switchboard.shipping;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderPaid;
import dev.switchboard.contracts.events.v1.ShipmentCreated;
import dev.switchboard.contracts.events.v1.ShipmentRejected;
import dev.switchboard.contracts.events.v1.ShippingAddress;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestEvents;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(properties = { "server.port=0", "switchboard.shipping.denied-countries=XX,YY" })
class ShippingIntegrationTest {

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		SharedInfrastructure.register(registry, "shipping");
	}

	@BeforeAll
	static void topics() {
		TestEvents.createTopics(Topics.ORDER_EVENTS);
	}

	private static OrderPaid paid(String orderId, String country) {
		return OrderPaid.newBuilder()
			.setOrderId(orderId)
			.setShippingAddress(ShippingAddress.newBuilder().setCountry(country))
			.build();
	}

	@Test
	void shipsAPaidOrderOnceEvenWhenOrderPaidIsRepeated() {
		String orderId = UUID.randomUUID().toString();
		String eventId = TestEvents.publish(Topics.ORDER_EVENTS, orderId, paid(orderId, "US"));
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, paid(orderId, "US"), eventId);
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, paid(orderId, "US"));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.SHIPPING_EVENTS, orderId, ShipmentCreated.getDefaultInstance()))
				.hasSize(1));
	}

	@Test
	void refusesEveryDeniedCountry() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, paid(orderId, "YY"));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.SHIPPING_EVENTS, orderId, ShipmentRejected.getDefaultInstance()))
				.singleElement()
				.satisfies((e) -> assertThat(e.getReason()).contains("YY")));
		assertThat(TestEvents.read(Topics.SHIPPING_EVENTS, orderId, ShipmentCreated.getDefaultInstance())).isEmpty();
	}

}
