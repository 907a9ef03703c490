package dev.switchboard.notification;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.notification.v1.DeliverWebhook;
import dev.switchboard.notification.application.port.in.ManageWebhooksUseCase;
import dev.switchboard.notification.domain.InvalidWebhookException;
import dev.switchboard.notification.domain.Webhook;
import dev.switchboard.notification.domain.WebhookSignature;
import dev.switchboard.testing.ServiceIntegrationTest;
import dev.switchboard.testing.TestEvents;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks on a real broker and database, delivered to receivers on loopback: each order
 * event a webhook wants arrives once per delivery id, signed with its secret, an order's
 * in order; a receiver that keeps failing has the delivery retried and then
 * dead-lettered; a deleted webhook gets nothing more.
 */
@ServiceIntegrationTest(service = "notification", topics = Topics.ORDER_EVENTS, properties = { "server.port=0",
		"switchboard.messaging.retry-budget=2s", "switchboard.notification.webhooks.allow-private-networks=true" })
class WebhookIntegrationTest {

	private static final Queue<Received> received = new ConcurrentLinkedQueue<>();

	private static final HttpServer receiver = start();

	@Autowired
	ManageWebhooksUseCase webhooks;

	@AfterAll
	static void stop() {
		receiver.stop(0);
	}

	@Test
	void anOrdersEventsArriveSignedInOrderAtEachWebhookThatWantsThem() {
		String customer = "c-" + UUID.randomUUID();
		Webhook both = this.webhooks.register(customer, url("/ok"), List.of("order.created", "order.completed"));
		Webhook completedOnly = this.webhooks.register(customer, url("/ok"), List.of("order.completed"));
		String orderId = UUID.randomUUID().toString();
		String created = TestEvents.publish(Topics.ORDER_EVENTS, orderId,
				OrderCreated.newBuilder().setOrderId(orderId).setCustomerId(customer).setTotalCents(1999).build());
		TestEvents.publish(Topics.ORDER_EVENTS, orderId,
				OrderCreated.newBuilder().setOrderId(orderId).setCustomerId(customer).setTotalCents(1999).build(),
				created);
		TestEvents.publish(Topics.ORDER_EVENTS, orderId,
				OrderCompleted.newBuilder()
					.setOrderId(orderId)
					.setCustomerId(customer)
					.setTotalCents(1999)
					.setShipmentId("s-1")
					.build());

		await().atMost(Duration.ofSeconds(30)).until(() -> about(orderId).size() == 3);
		List<Received> deliveries = about(orderId);
		assertThat(deliveries).extracting(Received::id).doesNotHaveDuplicates();
		assertThat(deliveries).allSatisfy((delivery) -> {
			assertThat(delivery.signature()).as("signed with one of the two secrets")
				.isIn(WebhookSignature.sign(both.secret(), delivery.id(), delivery.timestamp(), delivery.body()),
						WebhookSignature.sign(completedOnly.secret(), delivery.id(), delivery.timestamp(),
								delivery.body()));
			assertThat(Math.abs(Instant.now().getEpochSecond() - delivery.timestamp())).isLessThan(60);
		});
		assertThat(deliveries.getFirst().body()).contains("\"type\":\"order.created\"")
			.contains("\"amount\":\"19.99\"");
		assertThat(deliveries.subList(1, 3)).allSatisfy((d) -> assertThat(d.body()).contains("order.completed"));
		assertThat(deliveries.get(0).signature())
			.isEqualTo(WebhookSignature.sign(both.secret(), deliveries.get(0).id(), deliveries.get(0).timestamp(),
					deliveries.get(0).body()))
			.isNotEqualTo(WebhookSignature.sign(completedOnly.secret(), deliveries.get(0).id(),
					deliveries.get(0).timestamp(), deliveries.get(0).body()));

		assertThat(this.webhooks.delete(customer, both.id())).isTrue();
		assertThat(this.webhooks.delete("someone-else", completedOnly.id())).isFalse();
		assertThat(this.webhooks.subscribedTo(customer, "order.created")).isEmpty();
		assertThat(this.webhooks.subscribedTo(customer, "order.completed")).extracting(Webhook::id)
			.containsExactly(completedOnly.id());
	}

	@Test
	void aDeliveryTheReceiverKeepsRefusingIsDeadLettered() {
		String customer = "c-" + UUID.randomUUID();
		this.webhooks.register(customer, url("/fail"), List.of("order.created"));
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_EVENTS, orderId,
				OrderCreated.newBuilder().setOrderId(orderId).setCustomerId(customer).setTotalCents(500).build());

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(
					() -> assertThat(TestEvents.read(Topics.NOTIFICATION_WEBHOOKS + ".notification.webhook-senders.dlt",
							orderId, DeliverWebhook.getDefaultInstance()))
						.singleElement()
						.satisfies((dead) -> assertThat(dead.getType()).isEqualTo("order.created")));
		assertThat(about(orderId)).as("tried more than once").hasSizeGreaterThan(1);
		assertThat(about(orderId)).extracting(Received::id)
			.as("the same delivery each time")
			.containsOnly(about(orderId).getFirst().id());
	}

	@Test
	void onlyHttpUrlsAndKnownEventsAreAccepted() {
		assertThatThrownBy(
				() -> this.webhooks.register("c-1", URI.create("ftp://example.com/x"), List.of("order.created")))
			.isInstanceOf(InvalidWebhookException.class)
			.hasMessageContaining("http");
		assertThatThrownBy(() -> this.webhooks.register("c-1", url("/ok"), List.of("order.shipped")))
			.isInstanceOf(InvalidWebhookException.class)
			.hasMessageContaining("order.completed");
	}

	private static List<Received> about(String orderId) {
		return received.stream().filter((r) -> r.body().contains(orderId)).toList();
	}

	private static URI url(String path) {
		return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + path);
	}

	record Received(String id, long timestamp, String signature, String body) {
	}

	private static HttpServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
						Long.parseLong(exchange.getRequestHeaders().getFirst("webhook-timestamp")),
						exchange.getRequestHeaders().getFirst("webhook-signature"), body));
				int status = exchange.getRequestURI().getPath().equals("/fail") ? 500 : 204;
				exchange.sendResponseHeaders(status, -1);
				try (OutputStream out = exchange.getResponseBody()) {
					out.flush();
				}
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
