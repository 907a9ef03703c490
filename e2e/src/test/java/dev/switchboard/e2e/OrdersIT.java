package dev.switchboard.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.Api.order;
import static dev.switchboard.e2e.Api.post;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orders through the public API: the catalogue, each way an order ends, idempotent
 * retries, bad requests and the last units in stock sold under contention.
 */
@PlatformTest
@Order(1)
class OrdersIT {

	@Test
	@Order(10)
	void catalogueListsTheDemoProducts() {
		Api.Response products = get(api + "/products");

		assertThat(products.status()).isEqualTo(200);
		// The demo catalogue plus the test product whose allocation always fails.
		assertThat(products.json()).hasSize(101);
		JsonNode first = products.json().get(0);
		assertThat(first.get("sku").asText()).isEqualTo("SKU-0001");
		assertThat(first.has("name") && first.has("price") && first.has("available")).isTrue();
	}

	@Test
	@Order(20)
	void approvedOrderCompletesShipsItsStockAndNotifiesTheCustomer() {
		int before = available("SKU-0003");
		Api.Response created = post(api + "/orders", "application/json", order("SKU-0003", 2, "tok_visa", "US"));

		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().get("status").asText()).isEqualTo("PENDING");
		String id = created.json().get("orderId").asText();
		expected.put(id, "COMPLETED");
		assertThat(created.header("Location")).isEqualTo("/api/v1/orders/" + id);

		JsonNode done = awaitTerminal(id);
		assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
		assertThat(available("SKU-0003")).isEqualTo(before - 2);
		await().atMost(TERMINAL).until(() -> stock().get("SKU-0003").get("reserved").asInt() == 0);
		assertThat(payment(id).get("status").asText()).isEqualTo("APPROVED");
		await().atMost(TERMINAL)
			.untilAsserted(() -> assertThat(get(api + "/orders/" + id + "/notifications").json())
				.extracting((n) -> n.get("kind").asText())
				.containsExactlyInAnyOrder("ORDER_RECEIVED", "ORDER_SHIPPED", "RECOMMENDATIONS"));
	}

	@Test
	@Order(30)
	void declinedPaymentCancelsTheOrderAndReleasesItsStock() {
		int before = available("SKU-0004");
		String id = place("SKU-0004", 3, "tok_chargeDeclined", "US", "CANCELLED");

		JsonNode done = awaitTerminal(id);
		assertThat(done.get("status").asText()).isEqualTo("CANCELLED");
		assertThat(done.get("cancellationReason").asText()).contains("card declined");
		await().atMost(TERMINAL).until(() -> available("SKU-0004") == before);
		assertThat(payment(id).get("status").asText()).isEqualTo("DECLINED");
	}

	@Test
	@Order(40)
	void insufficientFundsIsDeclinedToo() {
		String id = place("SKU-0004", 1, "tok_insufficientFunds", "US", "CANCELLED");

		assertThat(awaitTerminal(id).get("cancellationReason").asText()).contains("insufficient funds");
	}

	@Test
	@Order(50)
	void undeliverableOrderIsRefundedAndItsStockReleased() {
		int before = available("SKU-0005");
		String id = place("SKU-0005", 1, "tok_visa", "XX", "CANCELLED");

		JsonNode done = awaitTerminal(id);
		assertThat(done.get("status").asText()).isEqualTo("CANCELLED");
		assertThat(done.get("cancellationReason").asText()).contains("XX");
		await().atMost(TERMINAL).until(() -> "REFUNDED".equals(payment(id).get("status").asText()));
		await().atMost(TERMINAL).until(() -> available("SKU-0005") == before);
	}

	@Test
	@Order(60)
	void sameIdempotencyKeyAndBodyReturnsTheSameOrderOnce() {
		String body = order("SKU-0006", 1, "tok_visa", "US");
		Api.Response first = post(api + "/orders", "application/json", body, "Idempotency-Key", "e2e-key-1");
		Api.Response again = post(api + "/orders", "application/json", body, "Idempotency-Key", "e2e-key-1");

		assertThat(first.status()).isEqualTo(201);
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.json()).isEqualTo(first.json());
		assertThat(again.header("Location")).isEqualTo(first.header("Location"));
		expected.put(first.json().get("orderId").asText(), "COMPLETED");
		awaitTerminal(first.json().get("orderId").asText());
	}

	@Test
	@Order(70)
	void sameIdempotencyKeyWithAnotherBodyIsRefused() {
		post(api + "/orders", "application/json", order("SKU-0007", 1, "tok_visa", "US"), "Idempotency-Key",
				"e2e-key-2")
			.json()
			.get("orderId")
			.asText()
			.transform((id) -> expected.put(id, "COMPLETED"));

		Api.Response other = post(api + "/orders", "application/json", order("SKU-0007", 2, "tok_visa", "US"),
				"Idempotency-Key", "e2e-key-2");

		assertThat(other.status()).isEqualTo(422);
		assertThat(other.header("Content-Type")).startsWith("application/problem+json");
		assertThat(other.json().get("detail").asText()).contains("e2e-key-2");
	}

	@Test
	@Order(75)
	void anOrderIsItsClientsAndNeedsATokenWithTheScope() throws Exception {
		String body = order("SKU-0009", 1, "tok_visa", "US");
		Api.Response anonymous = post(api + "/orders", "application/json", body, "Authorization", "");
		assertProblem(anonymous, 401);
		assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
		assertProblem(get(api + "/analytics/summary", "Authorization", "Bearer not.a.token"), 401);
		String readOnly = Api.tokenWith(platform.gatewayUrl(), "orders:read");
		assertProblem(post(api + "/orders", "application/json", body, "Authorization", "Bearer " + readOnly), 403);
		assertProblem(get(api + "/analytics/summary", "Authorization", "Bearer " + readOnly), 403);
		assertThat(get(api + "/products/SKU-0009", "Authorization", "").status()).as("product reads are public")
			.isEqualTo(200);

		// The demo client's order, under a key another client uses too.
		Api.Response mine = post(api + "/orders", "application/json", body, "Idempotency-Key", "e2e-shared-key");
		assertThat(mine.status()).isEqualTo(201);
		assertThat(mine.json().get("customerId").asText()).as("the token's subject, not the body's")
			.isEqualTo("demo-client");
		assertThat(mine.header("RateLimit-Policy")).as("the demo client's limit: 100/s, bursts of 200")
			.isEqualTo("\"client\";q=200;w=2");
		String id = mine.json().get("orderId").asText();
		expected.put(id, "COMPLETED");

		String other = "Bearer " + new dev.switchboard.launcher.platform.AccessTokens(platform.gatewayUrl(),
				platform.loadClient(), dev.switchboard.launcher.platform.AccessTokens.ALL_SCOPES)
			.token();
		assertProblem(get(api + "/orders/" + id, "Authorization", other), 404);
		assertProblem(get(api + "/orders/" + id + "/saga", "Authorization", other), 404);
		assertProblem(get(api + "/orders/" + id + "/notifications", "Authorization", other), 404);
		Api.Response theirs = post(api + "/orders", "application/json", body, "Idempotency-Key", "e2e-shared-key",
				"Authorization", other);
		assertThat(theirs.status()).as("keys are each client's own").isEqualTo(201);
		assertThat(theirs.header("Idempotent-Replayed")).isEqualTo("false");
		assertThat(theirs.json().get("orderId").asText()).isNotEqualTo(id);
		assertThat(theirs.json().get("customerId").asText()).isEqualTo("switchboard-load");
		expected.put(theirs.json().get("orderId").asText(), "COMPLETED");
		assertThat(awaitTerminal(id).get("status").asText()).isEqualTo("COMPLETED");
	}

	@Test
	@Order(80)
	void badRequestsGetTheRightProblem() {
		assertProblem(post(api + "/orders", "application/json", "{not json"), 400);
		Api.Response invalid = post(api + "/orders", "application/json", "{\"customerId\":\"\",\"items\":[]}");
		assertProblem(invalid, 400);
		assertThat(invalid.json().get("errors").toString()).contains("items", "shippingAddress")
			.as("ignored: an order is the token subject's")
			.doesNotContain("customerId");
		assertProblem(post(api + "/orders", "application/json", order("SKU-0001", 0, "tok_visa", "US")), 400);
		assertProblem(post(api + "/orders", "application/json", order("SKU-0001", 1, "tok_visa", "usa")), 400);
		assertProblem(post(api + "/orders", "application/json", order("SKU-9999", 1, "tok_visa", "US")), 422);
		assertProblem(post(api + "/orders", "application/json", order("SKU-0008", 1000, "tok_visa", "US")), 201);
		assertProblem(post(api + "/orders", "text/plain", order("SKU-0001", 1, "tok_visa", "US")), 415);
		assertProblem(post(api + "/orders", "application/json", "{\"customerId\":\"" + "x".repeat(70_000) + "\"}"),
				413);
		assertProblem(get(api + "/orders/no-such-order"), 404);
		assertProblem(get(api + "/products/SKU-9999"), 404);
		assertProblem(post(api + "/orders", "application/json",
				order("SKU-0001", 1, "tok_visa", "US").replace("\"quantity\":1", "\"quantity\":1.9")), 400);
		assertProblem(post(api + "/orders", "application/json",
				order("SKU-0001", 1, "tok_visa", "US").replace("\"quantity\":1", "\"quantity\":\"1\"")), 400);

		// A NUL, which PostgreSQL refuses, is the client's mistake however often it
		// comes:
		// a 400 each time, and the breaker in front of the order service counts none.
		for (int i = 0; i < 20; i++) {
			assertProblem(post(api + "/orders", "application/json",
					order("SKU-0001", 1, "tok_visa", "US").replace("Austin", "Aus\\u0000tin")), 400);
		}
		assertThat(get(management("gateway", "/actuator/resilience")).json()
			.at("/edges/order-create/breakerState")
			.asText()).isEqualTo("CLOSED");
	}

	@Test
	@Order(90)
	void concurrentOrdersForTheLastUnitsSellExactlyWhatIsLeft() throws Exception {
		String sku = "SKU-0100";
		int leave = 5;
		while (available(sku) - leave > 0) {
			int take = Math.min(1000, available(sku) - leave);
			place(sku, take, "tok_visa", "US", "COMPLETED");
		}
		Api.Response out = post(api + "/orders", "application/json", order(sku, leave + 1, "tok_visa", "US"));
		assertProblem(out, 409);

		List<Callable<Integer>> racers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			racers.add(() -> {
				Api.Response response = post(api + "/orders", "application/json", order(sku, 1, "tok_visa", "US"));
				if (response.status() == 201) {
					expected.put(response.json().get("orderId").asText(), "COMPLETED");
				}
				return response.status();
			});
		}
		List<Integer> statuses = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
			for (Future<Integer> status : pool.invokeAll(racers)) {
				statuses.add(status.get());
			}
		}
		assertThat(statuses).filteredOn((s) -> s == 201).hasSize(leave);
		assertThat(statuses).filteredOn((s) -> s == 409).hasSize(20 - leave);
		assertThat(available(sku)).isZero();
	}

	private static void assertProblem(Api.Response response, int status) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		if (status == 201) {
			expected.put(response.json().get("orderId").asText(), "COMPLETED");
			return;
		}
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("status").asInt()).isEqualTo(status);
	}

	/**
	 * {@code ./switchboard import}: one client-streaming call cancels an order whose
	 * charge is held (its reservation released, its charge undone: the invariants at the
	 * end check the money and the stock), notes another on its timeline, and says why
	 * each other line was refused.
	 */
	@Test
	@Order(95)
	void anImportCancelsAnOrderInProgressNotesAnotherAndSaysWhyTheRestWereRefused() throws Exception {
		String dir = dataDir.toString();
		String done = place("SKU-0072", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(done);
		String held;
		String output;
		// Held where payment takes its charge: the messages of its work queue
		// (queue:switchboard.payment.commands) or, with --edge order-payment=grpc, its
		// switchboard.payment.v1.PaymentService/Charge calls; with
		// --edge order-payment=stream, the events its command-stream consumer group takes
		// (a route naming events is the only kind that slows a consumer group).
		String route = args.contains("order-payment=stream") ? "events:payment.command-stream" : "switchboard.payment.";
		switchboard("fault", "payment", "--latency", "15s", "--route", route, "--for", "60s", "--data-dir", dir);
		try {
			held = place("SKU-0072", 1, "tok_visa", "US", "CANCELLED");
			java.nio.file.Path file = java.nio.file.Files.createTempFile(dataDir, "changes", ".csv");
			java.nio.file.Files.writeString(file,
					String.join("\n", "order_id,action,text", held + ",cancel,changed my mind",
							done + ",annotate,\"gift, wrap it\"", done + ",cancel", "no-such-order,cancel",
							held + ",ship", ""));
			output = switchboardExiting(1, "import", file.toString(), "--data-dir", dir);
		}
		finally {
			switchboard("fault", "payment", "--clear", "--data-dir", dir);
		}
		assertThat(output).contains("4 changes sent, 2 applied, 2 refused")
			.contains("line 4 (order " + done + "): the order is completed")
			.contains("line 5 (order no-such-order): no order no-such-order")
			.contains("line 6: the action is cancel or annotate");

		JsonNode cancelled = awaitTerminal(held);
		assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(cancelled.get("cancellationReason").asString()).isEqualTo("changed my mind");
		assertThat(get(api + "/orders/" + done + "/saga").body()).contains("gift, wrap it");
		assertThat(get(api + "/orders/" + done).json().get("status").asString()).isEqualTo("COMPLETED");
	}

}
