package dev.switchboard.shipping;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.events.v1.SagaMode;
import dev.switchboard.contracts.events.v1.ShipmentCancelled;
import dev.switchboard.contracts.events.v1.ShipmentCreated;
import dev.switchboard.contracts.events.v1.ShipmentRejected;
import dev.switchboard.contracts.events.v1.ShippingAddress;
import dev.switchboard.contracts.events.v1.StockAllocated;
import dev.switchboard.contracts.saga.v1.CancelShipment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.ScheduleShipment;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.testing.TestEvents;
import dev.switchboard.testing.ServiceIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ServiceIntegrationTest(service = "shipping", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		topics = { Topics.ORDER_CHOREOGRAPHY, Topics.INVENTORY_EVENTS, Topics.SHIPPING_COMMANDS, Topics.SAGA_REPLIES },
		properties = { "server.port=0", "switchboard.shipping.denied-countries=XX,YY" })
class ShippingIntegrationTest {

	@Autowired
	JdbcTemplate jdbc;

	@LocalServerPort
	int port;

	private static ScheduleShipment schedule(String orderId, String country) {
		return ScheduleShipment.newBuilder()
			.setOrderId(orderId)
			.setShippingAddress(ShippingAddress.newBuilder().setCountry(country))
			.build();
	}

	private static List<StepReply> replies(String orderId) {
		return TestEvents.read(Topics.SAGA_REPLIES, orderId, StepReply.getDefaultInstance());
	}

	private List<String> statuses(String orderId) {
		return this.jdbc.queryForList("SELECT status FROM shipments WHERE order_id = ?", String.class, orderId);
	}

	@Test
	void shipsOnceHoweverOftenTheCommandArrivesAndAnswersEachTime() throws Exception {
		String orderId = UUID.randomUUID().toString();
		String commandId = TestEvents.publish(Topics.SHIPPING_COMMANDS, orderId, schedule(orderId, "US"));
		TestEvents.publish(Topics.SHIPPING_COMMANDS, orderId, schedule(orderId, "US"), commandId);
		TestEvents.publish(Topics.SHIPPING_COMMANDS, orderId, schedule(orderId, "US"));

		await().atMost(Duration.ofSeconds(30)).until(() -> replies(orderId).size() == 2);
		assertThat(replies(orderId)).allSatisfy((r) -> {
			assertThat(r.getStep()).isEqualTo(SagaStep.SHIP);
			assertThat(r.getSucceeded()).isTrue();
		}).extracting(StepReply::getReference).doesNotContain("").containsOnly(replies(orderId).get(0).getReference());
		assertThat(statuses(orderId)).containsExactly("CREATED");

		HttpResponse<String> shipment = shipment("/" + orderId);
		assertThat(shipment.statusCode()).isEqualTo(200);
		assertThat(shipment.body()).contains("\"orderId\":\"" + orderId + "\"").contains("\"status\":\"CREATED\"");
		HttpResponse<String> several = shipment("?orderId=" + orderId + "&orderId=no-such-order");
		assertThat(several.statusCode()).isEqualTo(200);
		assertThat(several.body()).startsWith("[{")
			.contains("\"orderId\":\"" + orderId + "\"")
			.doesNotContain("no-such");
		HttpResponse<String> tooMany = shipment("?orderId=" + "x&orderId=".repeat(100) + "x");
		assertThat(tooMany.statusCode()).isEqualTo(400);
		assertThat(tooMany.body()).contains("at most 100 orders");
		HttpResponse<String> none = shipment("/no-such-order");
		assertThat(none.statusCode()).isEqualTo(404);
		assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	/**
	 * {@code GET /shipments/{orderId}}, as the gateway's order pages ask it, or
	 * {@code GET /shipments?orderId=...} as its GraphQL does.
	 */
	private HttpResponse<String> shipment(String rest) throws IOException, InterruptedException {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/shipments" + rest)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
	}

	@Test
	void refusesEveryDeniedCountry() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.SHIPPING_COMMANDS, orderId, schedule(orderId, "YY"));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(replies(orderId)).singleElement().satisfies((r) -> {
				assertThat(r.getSucceeded()).isFalse();
				assertThat(r.getReason()).contains("YY");
			}));
		assertThat(statuses(orderId)).containsExactly("REJECTED");
	}

	@Test
	void aCancellationBeforeTheShipmentMeansNoShipment() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.SHIPPING_COMMANDS, orderId, CancelShipment.newBuilder().setOrderId(orderId).build());
		TestEvents.publish(Topics.SHIPPING_COMMANDS, orderId, schedule(orderId, "US"));

		await().atMost(Duration.ofSeconds(30)).until(() -> replies(orderId).size() == 2);
		assertThat(replies(orderId).get(0).getCompensation()).isTrue();
		assertThat(replies(orderId).get(1).getSucceeded()).isFalse();
		assertThat(statuses(orderId)).containsExactly("CANCELLED");
	}

	private static OrderCreated created(String orderId, String country) {
		return OrderCreated.newBuilder()
			.setOrderId(orderId)
			.setSagaMode(SagaMode.CHOREOGRAPHY)
			.setShippingAddress(ShippingAddress.newBuilder().setCountry(country))
			.build();
	}

	@Test
	void inChoreographyShipsOnceTheAddressAndTheAllocationAreKnownInEitherOrder() {
		String first = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, first, created(first, "US"));
		TestEvents.publish(Topics.INVENTORY_EVENTS, first, StockAllocated.newBuilder().setOrderId(first).build());
		String second = UUID.randomUUID().toString();
		TestEvents.publish(Topics.INVENTORY_EVENTS, second, StockAllocated.newBuilder().setOrderId(second).build());
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, second, created(second, "XX"));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Topics.SHIPPING_EVENTS, first, ShipmentCreated.getDefaultInstance())
				.size() == 1);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Topics.SHIPPING_EVENTS, second, ShipmentRejected.getDefaultInstance())
				.size() == 1);
		assertThat(statuses(first)).containsExactly("CREATED");
		assertThat(statuses(second)).containsExactly("REJECTED");
	}

	@Test
	void inChoreographyACancelledOrderIsNeverShippedEvenIfItsAllocationComesLate() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, created(orderId, "US"));
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId,
				OrderCancelled.newBuilder().setOrderId(orderId).setSagaMode(SagaMode.CHOREOGRAPHY).build());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Topics.SHIPPING_EVENTS, orderId, ShipmentCancelled.getDefaultInstance())
				.size() == 1);

		TestEvents.publish(Topics.INVENTORY_EVENTS, orderId, StockAllocated.newBuilder().setOrderId(orderId).build());
		String marker = UUID.randomUUID().toString();
		TestEvents.publish(Topics.INVENTORY_EVENTS, orderId, StockAllocated.newBuilder().setOrderId(marker).build());
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, marker, created(marker, "US"));

		await().atMost(Duration.ofSeconds(30)).until(() -> statuses(marker).equals(List.of("CREATED")));
		assertThat(statuses(orderId)).containsExactly("CANCELLED");
		assertThat(TestEvents.read(Topics.SHIPPING_EVENTS, orderId, ShipmentCreated.getDefaultInstance())).isEmpty();
	}

}
