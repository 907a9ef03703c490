package dev.switchboard.payment;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.events.v1.PaymentApproved;
import dev.switchboard.contracts.events.v1.PaymentDeclined;
import dev.switchboard.contracts.events.v1.PaymentRefunded;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestEvents;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(properties = "server.port=0")
class PaymentIntegrationTest {

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		SharedInfrastructure.register(registry, "payment");
	}

	@BeforeAll
	static void topics() {
		TestEvents.createTopics(Topics.ORDER_EVENTS);
	}

	private static OrderCreated created(String orderId, String token) {
		return OrderCreated.newBuilder().setOrderId(orderId).setPaymentToken(token).setTotalCents(1999).build();
	}

	private String status(String orderId) {
		return this.jdbc.queryForList("SELECT status FROM payments WHERE order_id = ?", String.class, orderId)
			.stream()
			.findFirst()
			.orElse(null);
	}

	@Test
	void chargesAnOrderOnceHoweverOftenOrderCreatedArrives() {
		String orderId = UUID.randomUUID().toString();
		String eventId = TestEvents.publish(Topics.ORDER_EVENTS, orderId, created(orderId, "tok_visa"));
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, created(orderId, "tok_visa"), eventId);
		// Even a copy with a new event id cannot charge twice: the order id is the charge's key.
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, created(orderId, "tok_visa"));

		await().atMost(Duration.ofSeconds(30)).until(() -> "APPROVED".equals(status(orderId)));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM platform.inbox WHERE message_id = ?",
					Integer.class, eventId) == 1);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.PAYMENT_EVENTS, orderId, PaymentApproved.getDefaultInstance()))
				.singleElement()
				.satisfies((e) -> assertThat(e.getAmountCents()).isEqualTo(1999)));
	}

	@Test
	void declinesTheDeclineTestTokenAndNeverRefundsIt() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, created(orderId, "tok_chargeDeclined"));
		await().atMost(Duration.ofSeconds(30)).until(() -> "DECLINED".equals(status(orderId)));

		TestEvents.publish(Topics.ORDER_EVENTS, orderId, OrderCancelled.newBuilder().setOrderId(orderId).build());

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.PAYMENT_EVENTS, orderId, PaymentDeclined.getDefaultInstance()))
				.singleElement()
				.satisfies((e) -> assertThat(e.getReason()).isEqualTo("card declined")));
		assertThat(status(orderId)).isEqualTo("DECLINED");
		assertThat(TestEvents.read(Topics.PAYMENT_EVENTS, orderId, PaymentRefunded.getDefaultInstance())).isEmpty();
	}

	@Test
	void refundsACancelledOrderOnce() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, created(orderId, "tok_visa"));
		await().atMost(Duration.ofSeconds(30)).until(() -> "APPROVED".equals(status(orderId)));

		OrderCancelled cancelled = OrderCancelled.newBuilder().setOrderId(orderId).setReason("test").build();
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, cancelled);
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, cancelled);

		await().atMost(Duration.ofSeconds(30)).until(() -> "REFUNDED".equals(status(orderId)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.PAYMENT_EVENTS, orderId, PaymentRefunded.getDefaultInstance()))
				.hasSize(1));
	}

}
