package dev.switchboard.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.contracts.events.Topics;

import static dev.switchboard.e2e.Api.delete;
import static dev.switchboard.e2e.Api.post;
import static dev.switchboard.e2e.E2e.TERMINAL;
import static dev.switchboard.e2e.E2e.api;
import static dev.switchboard.e2e.E2e.awaitTerminal;
import static dev.switchboard.e2e.E2e.dataDir;
import static dev.switchboard.e2e.E2e.place;
import static dev.switchboard.e2e.E2e.switchboard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks on the real platform, to a receiver on loopback that checks every delivery as
 * a customer's would: the signature with the secret it was given, the timestamp recent,
 * each delivery id handled once however often it comes, an order's events in order; a
 * receiver that keeps failing has its delivery dead-lettered where {@code dlq} shows it;
 * a deleted webhook is deleted.
 */
@PlatformTest
@Order(5)
class WebhooksIT {

	private static final String DEAD_LETTERS = Topics.NOTIFICATION_WEBHOOKS + ".notification.webhook-senders";

	private static final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

	private static final Queue<String> badSignatures = new ConcurrentLinkedQueue<>();

	private static final Map<String, String> secrets = new java.util.concurrent.ConcurrentHashMap<>();

	private static HttpServer receiver;

	@BeforeAll
	static void startReceiver() throws IOException {
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			String path = exchange.getRequestURI().getPath();
			String id = exchange.getRequestHeaders().getFirst("webhook-id");
			long timestamp = Long.parseLong(exchange.getRequestHeaders().getFirst("webhook-timestamp"));
			String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
			String secret = secrets.get(path);
			if (secret == null || !signature.equals(sign(secret, id, timestamp, body))
					|| Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
				badSignatures.add(path + " " + id);
			}
			deliveries.add(new Delivery(path, id, body));
			exchange.sendResponseHeaders(path.startsWith("/fail") ? 503 : 200, -1);
			try (OutputStream out = exchange.getResponseBody()) {
				out.flush();
			}
		});
		receiver.start();
	}

	@AfterAll
	static void stopReceiver() {
		receiver.stop(0);
	}

	private static String url(String path) {
		return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
	}

	private static String register(String path, String... events) {
		Api.Response registered = post(api + "/webhooks", "application/json",
				Api.JSON.writeValueAsString(Map.of("url", url(path), "events", List.of(events))));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		JsonNode webhook = registered.json();
		assertThat(webhook.path("secret").asString()).startsWith("whsec_");
		assertThat(registered.header("Location")).endsWith("/webhooks/" + webhook.path("id").asString());
		secrets.put(path, webhook.path("secret").asString());
		return webhook.path("id").asString();
	}

	@Test
	@Order(10)
	void anOrdersEventsArriveSignedOnceByIdAndInOrder() {
		String webhook = register("/orders", "order.created", "order.completed", "order.cancelled");
		String completed = place("SKU-0073", 1, "tok_visa", "US", "COMPLETED");
		String cancelled = place("SKU-0073", 1, "tok_chargeDeclined", "US", "CANCELLED");
		awaitTerminal(completed);
		awaitTerminal(cancelled);

		await().atMost(TERMINAL).untilAsserted(() -> {
			assertThat(types(completed)).containsExactly("order.created", "order.completed");
			assertThat(types(cancelled)).containsExactly("order.created", "order.cancelled");
		});
		assertThat(badSignatures).isEmpty();
		assertThat(about(completed).getLast().body()).contains("\"status\":\"COMPLETED\"").contains("\"amount\"");

		assertThat(delete(api + "/webhooks/" + webhook).status()).isEqualTo(204);
		assertThat(delete(api + "/webhooks/" + webhook).status()).isEqualTo(404);
		String after = place("SKU-0073", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(after);
		assertThat(about(after)).as("nothing for a deleted webhook").isEmpty();
	}

	@Test
	@Order(20)
	void aWebhookMustBeAnHttpUrlForKnownEvents() {
		for (String body : List.of("{\"url\":\"ftp://example.com/x\",\"events\":[\"order.created\"]}",
				"{\"url\":\"" + url("/x") + "\",\"events\":[\"order.shipped\"]}",
				"{\"url\":\"" + url("/x") + "\",\"events\":[]}")) {
			Api.Response refused = post(api + "/webhooks", "application/json", body);
			assertThat(refused.status()).as(body).isEqualTo(400);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(
				post(api.replace("/api/v1", "/api/v2") + "/webhooks", "application/json", "{\"url\":\"x\"}").status())
			.isEqualTo(400);
	}

	@Test
	@Order(30)
	void aDeliveryTheReceiverKeepsRefusingIsDeadLetteredWhereDlqShowsIt() throws Exception {
		String webhook = register("/fail", "order.created");
		String id = place("SKU-0073", 1, "tok_visa", "US", "COMPLETED");
		String dir = dataDir.toString();
		try {
			// This order's delivery, not any record on the channel: FuzzIT's malformed
			// records may be there before it.
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofSeconds(2))
				.until(() -> java.util.regex.Pattern
					.compile("(?m)^  subject +" + java.util.regex.Pattern.quote(id) + "$")
					.matcher(switchboard("dlq", "show", DEAD_LETTERS, "--limit", "1000", "--data-dir", dir))
					.find());
			assertThat(switchboard("dlq", "list", "--data-dir", dir))
				.containsPattern(java.util.regex.Pattern.quote(DEAD_LETTERS) + "\\s+kafka\\s+[1-9]");
			assertThat(about(id).stream().filter((d) -> d.path().equals("/fail")).map(Delivery::id))
				.as("retried, as the same delivery")
				.hasSizeGreaterThan(1)
				.containsOnly(about(id).getFirst().id());
		}
		finally {
			delete(api + "/webhooks/" + webhook);
			switchboard("dlq", "purge", DEAD_LETTERS, "--data-dir", dir);
		}
		awaitTerminal(id);
	}

	/** The event types delivered about an order, each delivery id counted once. */
	private static List<String> types(String orderId) {
		return about(orderId).stream()
			.filter((d) -> d.path().equals("/orders"))
			.map(Delivery::id)
			.distinct()
			.map((id) -> deliveries.stream().filter((d) -> d.id().equals(id)).findFirst().orElseThrow())
			.map((d) -> Api.JSON.readTree(d.body()).path("type").asString())
			.toList();
	}

	private static List<Delivery> about(String orderId) {
		return deliveries.stream().filter((d) -> d.body().contains(orderId)).toList();
	}

	private static String sign(String secret, String id, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
			return "v1," + Base64.getEncoder()
				.encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Delivery(String path, String id, String body) {
	}

}
