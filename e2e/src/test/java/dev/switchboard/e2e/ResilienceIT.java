package dev.switchboard.e2e;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
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
 * Synchronous edges under faults injected with {@code switchboard fault}: a slow callee
 * opens the breaker, a flaky one is retried within budget, reads fall back to their last
 * answer, and overload is shed with Retry-After.
 */
@PlatformTest
@Order(4)
class ResilienceIT {

	@Test
	@Order(111)
	void aSlowInventoryOpensTheBreakerSoOrdersFailFastWhileReadsStayFast() throws Exception {
		try {
			String earlier = place("SKU-0050", 1, "tok_visa", "US", "COMPLETED");
			switchboard("fault", "inventory", "--latency", "3s", "--route", reservations(), "--for", "120s",
					"--data-dir", dataDir.toString());

			// Slow reservations: each order takes 3 s, until enough of them have been
			// slow. On a slow machine one may outlast the gateway's deadline: a 504,
			// outcome unknown, which its key settles once inventory is fast again.
			Map<String, Api.Response> slow = new java.util.concurrent.ConcurrentHashMap<>();
			concurrently(12, () -> {
				String key = java.util.UUID.randomUUID().toString();
				return slow.put(key, post(api + "/orders", "application/json", order("SKU-0050", 1, "tok_visa", "US"),
						"Idempotency-Key", key));
			});
			slow.values()
				.stream()
				.filter((r) -> r.status() == 201)
				.forEach((r) -> expected.put(r.json().get("orderId").asText(), "COMPLETED"));
			assertThat(slow.values()).extracting(Api.Response::status)
				.allSatisfy((status) -> assertThat(status).isIn(201, 503, 504));

			// Now the breaker is open: refused at once, with a time to come back.
			long start = System.nanoTime();
			Api.Response refused = post(api + "/orders", "application/json", order("SKU-0050", 1, "tok_visa", "US"));
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(refused.status()).as(refused.body()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isNotBlank();
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(took).as("refused well within the 5 s deadline").isLessThan(Duration.ofSeconds(2));

			// Reading orders and analytics does not go near the slow call.
			start = System.nanoTime();
			assertThat(get(api + "/orders/" + earlier).status()).isEqualTo(200);
			assertThat(get(api + "/analytics/summary").status()).isEqualTo(200);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			assertThat(resilience("order").at("/edges/inventory/transitions").toString()).contains("CLOSED -> OPEN");

			switchboard("fault", "inventory", "--clear", "--data-dir", dataDir.toString());
			slow.forEach((key, answer) -> {
				if (answer.status() == 504) {
					settle(key, order("SKU-0050", 1, "tok_visa", "US"));
				}
			});

			// Under traffic, half-open trial calls succeed, the breakers close, orders go
			// through.
			await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
				placeRetrying("SKU-0050", "tok_visa", "US", "COMPLETED");
				JsonNode inventoryEdge = resilience("order").at("/edges/inventory");
				assertThat(inventoryEdge.get("breakerState").asText()).isEqualTo("CLOSED");
				assertThat(inventoryEdge.get("transitions").toString()).contains("OPEN -> HALF_OPEN",
						"HALF_OPEN -> CLOSED");
			});
		}
		finally {
			clearFault("inventory");
		}
	}

	@Test
	@Order(112)
	void aFlakyInventoryIsRetriedWithoutDuplicatesAndAnOutageIsNotAmplified() throws Exception {
		try {
			int before = available("SKU-0051");
			long retryDecisionsBefore = retryDecisions();
			switchboard("fault", "inventory", "--error-rate", "0.3", "--route", reservations(), "--for", "120s",
					"--data-dir", dataDir.toString());

			Set<String> ids = new java.util.HashSet<>();
			for (int i = 0; i < 20; i++) {
				ids.add(placeRetrying("SKU-0051", "tok_visa", "US", "COMPLETED"));
			}

			assertThat(ids).hasSize(20);
			assertThat(available("SKU-0051")).as("one reservation per order").isEqualTo(before - 20);
			// The failures met the retry policies (retried, or refused by a budget that
			// earlier tests' outages spent: a budget refills with successes, not with
			// time).
			assertThat(retryDecisions()).isGreaterThan(retryDecisionsBefore);

			// A full outage: retries are limited by the budget and stopped by the
			// breaker, so inventory sees fewer attempts than there are orders, not three
			// times as many.
			switchboard("fault", "inventory", "--abort", "--route", reservations(), "--for", "120s", "--data-dir",
					dataDir.toString());
			for (int i = 0; i < 30; i++) {
				Api.Response refused = post(api + "/orders", "application/json",
						order("SKU-0051", 1, "tok_visa", "US"));
				assertThat(refused.status()).as(refused.body()).isEqualTo(503);
				assertThat(refused.header("Retry-After")).isNotBlank();
			}
			long attemptsSeen = faultOf("inventory").get("failedCalls").asLong();
			assertThat(attemptsSeen).isLessThanOrEqualTo(30);

			switchboard("fault", "inventory", "--clear", "--data-dir", dataDir.toString());
			placeRetrying("SKU-0051", "tok_visa", "US", "COMPLETED");
		}
		finally {
			clearFault("inventory");
		}
	}

	@Test
	@Order(113)
	void productReadsFallBackToTheLastAnswerClearlyMarkedWhileInventoryIsDown() throws Exception {
		try {
			int fresh = available("SKU-0003");
			switchboard("fault", "inventory", "--abort", "--route", "GetProduct", "--for", "60s", "--data-dir",
					dataDir.toString());

			Api.Response stale = get(api + "/products/SKU-0003", "Cache-Control", "no-cache");
			assertThat(stale.status()).isEqualTo(200);
			assertThat(stale.header("Switchboard-Stale")).isEqualTo("true");
			assertThat(stale.header("Age")).matches("\\d+");
			assertThat(stale.json().get("available").asInt()).isEqualTo(fresh);
			// Nothing seen before, nothing to fall back on: the honest answer is 503.
			Api.Response unknown = get(api + "/products/NO-SUCH-SKU", "Cache-Control", "no-cache");
			assertThat(unknown.status()).isEqualTo(503);
			assertThat(unknown.header("Retry-After")).isNotBlank();

			switchboard("fault", "inventory", "--clear", "--data-dir", dataDir.toString());
			await().atMost(Duration.ofSeconds(30))
				.until(() -> get(api + "/products/SKU-0003").header("Switchboard-Stale") == null);
		}
		finally {
			clearFault("inventory");
		}
	}

	@Test
	@Order(114)
	void overloadIsShedWithRetryAfterAndThePlatformRecovers() throws Exception {
		Map<String, Long> pids = new HashMap<>();
		for (String service : List.of("gateway", "order", "inventory", "payment", "shipping", "notification",
				"analytics")) {
			pids.put(service, platform.pid(service));
		}

		// From a platform that takes and completes orders again after the earlier tests'
		// outages: what follows measures overload, not a recovery in progress.
		awaitTerminal(placeRetrying("SKU-0079", "tok_visa", "US", "COMPLETED"));

		// Open loop at a rate well above what the sagas complete on this machine:
		// admission control sheds the excess with 503 + Retry-After instead of letting
		// the backlog grow until the sagas time out. The load command waits until every
		// accepted order is terminal and fails on any answer but 201 or a 503 with
		// Retry-After.
		Path accepted = dataDir.resolve("overload-orders.txt");
		// SKUs no other test sells out, so every refusal is the platform's own.
		String report = switchboard("load", "--rate", "60", "--duration", "15s", "--gateway", platform.gatewayUrl(),
				"--data-dir", dataDir.toString(), "--sku", "SKU-0060", "--sku", "SKU-0061", "--sku", "SKU-0062",
				"--sku", "SKU-0063", "--record", accepted.toString());
		Files.readAllLines(accepted).forEach((id) -> expected.put(id, "TERMINAL"));

		assertThat(report).containsPattern("failed 0, completed \\d+, cancelled \\d+, not terminal 0");
		// Completion is timed from the order database after the run, for every order.
		assertThat(report).containsPattern("completion \\(terminal\\) +p50 .*\\(n=[1-9]\\d*\\)");
		assertThat(report).containsPattern("shed [1-9]\\d* \\(503 \\+ Retry-After\\)");
		// Nothing crashed or ran out of memory (services exit on OutOfMemoryError and
		// would have been restarted with a new pid), and new orders are taken again.
		assertThat(pids).allSatisfy((service, pid) -> assertThat(platform.pid(service)).as(service).isEqualTo(pid));
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			awaitTerminal(placeRetrying("SKU-0079", "tok_visa", "US", "COMPLETED"));
			assertThat(resilience("gateway").at("/edges/order-create/breakerState").asText()).isEqualTo("CLOSED");
		});
	}

	/**
	 * Runs {@code task} {@code count} times at once, 32 at a time, and returns every
	 * answer.
	 */
	private static <T> List<T> concurrently(int count, Callable<T> task) throws Exception {
		try (ExecutorService threads = Executors.newFixedThreadPool(32, Thread.ofVirtual().factory())) {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				futures.add(threads.submit(task));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
	}

	/**
	 * The route of the order service's reservations on this run's inventory edge: the
	 * gRPC method, or the REST path ({@code up --edge order-inventory=rest}).
	 */
	private static String reservations() {
		return args.contains("order-inventory=rest") ? "/reservations/" : "CheckAndReserve";
	}

	/**
	 * Retries made or refused by a budget, at order (to inventory) and gateway (to
	 * order).
	 */
	private static long retryDecisions() {
		JsonNode atOrder = resilience("order").at("/edges/inventory");
		JsonNode atGateway = resilience("gateway").at("/edges/order-create");
		return atOrder.get("retries").asLong() + atOrder.get("retriesRefused").asLong()
				+ atGateway.path("retries").asLong() + atGateway.path("retriesRefused").asLong();
	}

	private static JsonNode resilience(String service) {
		return get(management(service, "/actuator/resilience")).json();
	}

	/** Clears a service's fault directly, also when a test failed half-way. */
	private static void clearFault(String service) {
		Api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(internal(service, "/admin/faults")))
			.header("Authorization", "Bearer " + platform.adminToken())
			.DELETE());
	}

	private static JsonNode faultOf(String service) {
		return Api
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(internal(service, "/admin/faults")))
				.header("Authorization", "Bearer " + platform.adminToken())
				.GET())
			.json();
	}

}
