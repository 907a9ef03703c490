package dev.switchboard.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.launcher.up.Platform;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.Api.order;
import static dev.switchboard.e2e.Api.post;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Sagas end right at every failure point, in orchestration, then, after a restart on the
 * same data directory in choreography, with order calling inventory over REST, the
 * gateway calling order over REST and reading analytics over gRPC ({@code --edge
 * order-inventory=rest --edge gateway-order=rest --edge gateway-analytics=grpc}), again
 * and with each participant killed midway; the invariants hold over every order of the
 * platform before the restart and after it. Last, because a restart of the shared
 * platform would slow the classes after it down.
 */
@PlatformTest
@Order(7)
class SagasIT {

	@Test
	@Order(130)
	void everyFailurePointEndsRightInOrchestration() {
		assertFailurePointsEndRight("orchestration");
	}

	@Test
	@Order(200)
	void invariantsHoldBeforeTheRestart() throws Exception {
		new Invariants(dataDir, Duration.ofSeconds(120)).assertHold(expected);
	}

	/**
	 * The checker itself: a duplicate charge at the provider, a duplicate email and a
	 * lost release, each planted where it would happen, each caught, each removed again.
	 * It checks one completed order of this class; the whole platform is checked again
	 * after the class, so a plant left behind would fail it.
	 */
	@Test
	@Order(210)
	void theInvariantCheckerCatchesADuplicateChargeADuplicateEmailAndALostRelease() throws Exception {
		Invariants quick = new Invariants(dataDir, Duration.ofSeconds(3));
		String completed = expected.entrySet()
			.stream()
			.filter((e) -> e.getValue().equals("COMPLETED"))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow();
		Map<String, String> one = Map.of(completed, "COMPLETED");

		try (java.sql.Connection payment = platform.connectToDatabase("payment");
				java.sql.Statement statement = payment.createStatement()) {
			statement
				.executeUpdate("INSERT INTO provider_ledger (idempotency_key, kind, order_id, amount_cents, approved)"
						+ " VALUES ('planted', 'CHARGE', '" + completed + "', 100, true)");
			try {
				assertThatThrownBy(() -> quick.assertHold(one))
					.hasMessageContaining("provider charges of " + completed);
			}
			finally {
				statement.executeUpdate("DELETE FROM provider_ledger WHERE idempotency_key = 'planted'");
			}
		}

		Path original;
		try (var mails = Files.list(dataDir.resolve("mail"))) {
			original = mails.filter((mail) -> read(mail).contains("X-Switchboard-Order: " + completed))
				.findFirst()
				.orElseThrow();
		}
		Path copy = original.resolveSibling("planted-duplicate.eml");
		Files.writeString(copy, read(original).replaceFirst("(?m)^Message-ID: <", "Message-ID: <planted-"));
		try {
			assertThatThrownBy(() -> quick.assertHold(one)).hasMessageContaining("sent for order " + completed);
		}
		finally {
			Files.delete(copy);
		}

		String sku = null;
		for (JsonNode product : get(api + "/products").json()) {
			if (product.get("available").asInt() > 0) {
				sku = product.get("sku").asText();
				break;
			}
		}
		try (java.sql.Connection inventory = platform.connectToDatabase("inventory");
				java.sql.PreparedStatement lose = inventory.prepareStatement(
						"UPDATE products SET available = available - ?, reserved = reserved + ? WHERE sku = ?")) {
			// A reservation released without its stock: units stay reserved for nobody.
			lose.setInt(1, 1);
			lose.setInt(2, 1);
			lose.setString(3, sku);
			lose.executeUpdate();
			try {
				assertThatThrownBy(() -> quick.assertHold(one)).hasMessageContaining("reserved");
			}
			finally {
				lose.setInt(1, -1);
				lose.setInt(2, -1);
				lose.executeUpdate();
			}
		}
	}

	@Test
	@Order(300)
	void restartOnTheSameDataDirectoryLosesNothing() throws Exception {
		Map<String, String> statuses = orderStatuses();
		assertThat(statuses).isNotEmpty();
		JsonNode summary = get(api + "/analytics/summary").json();
		String products = get(api + "/products", "Cache-Control", "no-cache").body();

		platform.close();
		// The rest of the class runs on the other setting of each switch: the saga's mode
		// and the order -> inventory edge's transport.
		List<String> choreography = new ArrayList<>(args);
		choreography.addAll(List.of("--saga", "choreography", "--edge", "order-inventory=rest", "--edge",
				"gateway-order=rest", "--edge", "gateway-analytics=grpc"));
		platform = Platform.start(choreography, ENVIRONMENT, Path.of(System.getProperty("switchboard.home")),
				System.out);

		assertThat(orderStatuses()).isEqualTo(statuses);
		// Through the API too, each order as its own client reads it.
		Map<String, String> customers = orderCustomers();
		String load = "Bearer " + new dev.switchboard.launcher.platform.AccessTokens(platform.gatewayUrl(),
				platform.loadClient(), dev.switchboard.launcher.platform.AccessTokens.ALL_SCOPES)
			.token();
		statuses.forEach((id, status) -> {
			String[] as = customers.get(id).equals("demo-client") ? new String[0]
					: new String[] { "Authorization", load };
			assertThat(get(api + "/orders/" + id, as).json().get("status").asText()).as(id).isEqualTo(status);
		});
		assertThat(get(api + "/analytics/summary").json()).isEqualTo(summary);
		assertThat(get(api + "/products", "Cache-Control", "no-cache").body()).isEqualTo(products);
		// Inventory's refusals read the same over REST as over gRPC.
		assertThat(post(api + "/orders", "application/json", order("SKU-9999", 1, "tok_visa", "US")).status())
			.isEqualTo(422);
		String after = place("SKU-0013", 1, "tok_visa", "US", "COMPLETED");
		assertThat(awaitTerminal(after).get("status").asText()).isEqualTo("COMPLETED");
		// The summary above was read over gRPC, the same as over REST before the restart.
		assertThat(get(internal("analytics", "/actuator/metrics/grpc.server?tag=rpc.method:GetSummary")).json()
			.at("/measurements/0/value")
			.asDouble()).isPositive();
		// Placed and read over REST: order's HTTP binding served them.
		for (String route : new String[] { "uri:/orders&tag=method:POST",
				"uri:/orders/%7BorderId%7D&tag=method:GET" }) {
			assertThat(get(internal("order", "/actuator/metrics/http.server.requests?tag=" + route)).json()
				.at("/measurements/0/value")
				.asDouble()).as(route).isPositive();
		}
		// Reserved over REST: inventory served its reservations endpoint, not gRPC alone.
		assertThat(get(internal("inventory",
				"/actuator/metrics/http.server.requests?tag=uri:/reservations/%7BorderId%7D&tag=method:PUT"))
			.json()
			.at("/measurements/0/value")
			.asDouble()).isPositive();
	}

	@Test
	@Order(310)
	void everyFailurePointEndsRightInChoreography() {
		assertFailurePointsEndRight("choreography");
	}

	@Test
	@Order(320)
	void everyChoreographedSagaFinishesWhenEachServiceIsKilledMidway() throws Exception {
		killEachServiceMidSaga("postgres");
	}

	/** Each order's customer: the client that placed it. */
	private static Map<String, String> orderCustomers() throws java.sql.SQLException {
		Map<String, String> customers = new java.util.HashMap<>();
		try (java.sql.Connection order = platform.connectToDatabase("order");
				java.sql.ResultSet rows = order.createStatement().executeQuery("SELECT id, customer_id FROM orders")) {
			while (rows.next()) {
				customers.put(rows.getString("id"), rows.getString("customer_id"));
			}
		}
		return customers;
	}

	/** Every order the platform has, whichever class placed it, with its status. */
	private static Map<String, String> orderStatuses() throws java.sql.SQLException {
		Map<String, String> statuses = new HashMap<>();
		try (java.sql.Connection order = platform.connectToDatabase("order");
				java.sql.ResultSet rows = order.createStatement().executeQuery("SELECT id, status FROM orders")) {
			while (rows.next()) {
				statuses.put(rows.getString("id"), rows.getString("status"));
			}
		}
		return statuses;
	}

	/**
	 * One order per outcome of the saga, each checked for its end, reason and
	 * compensations.
	 */
	private static void assertFailurePointsEndRight(String mode) {
		awaitEveryServiceUp();
		Map<String, String> reasons = new HashMap<>();
		reasons.put(place("SKU-0020", 1, "tok_visa", "US", "COMPLETED"), null);
		reasons.put(place("SKU-0021", 1, "tok_chargeDeclined", "US", "CANCELLED"), "charge failed: card declined");
		reasons.put(place("TEST-ALLOCATION-FAILS", 1, "tok_visa", "US", "CANCELLED"),
				"allocate failed: stock of TEST-ALLOCATION-FAILS could not be picked");
		reasons.put(place("SKU-0022", 1, "tok_visa", "XX", "CANCELLED"), "ship failed: we do not deliver to XX");
		reasons.put(place("SKU-0023", 1, "tok_noReply", "US", "CANCELLED"), "charge timed out after 15000 ms");

		reasons.forEach((id, reason) -> {
			JsonNode order = awaitTerminal(id);
			assertThat(order.get("status").asText()).as(id).isEqualTo(expected.get(id));
			if (reason != null) {
				assertThat(order.get("cancellationReason").asText()).isEqualTo(reason);
			}
			await().atMost(TERMINAL).untilAsserted(() -> {
				JsonNode saga = get(api + "/orders/" + id + "/saga").json();
				assertThat(saga.get("mode").asText()).isEqualTo(mode);
				assertThat(saga.get("status").asText()).isEqualTo(reason == null ? "completed" : "cancelled");
				saga.get("steps")
					.forEach((step) -> assertThat(step.get("state").asText()).as(step.toString())
						.isIn(reason == null ? List.of("succeeded") : List.of("compensated", "failed", "pending")));
			});
		});
		JsonNode timedOut = get(api + "/orders/"
				+ reasons.entrySet()
					.stream()
					.filter((e) -> e.getValue() != null && e.getValue().contains("timed out"))
					.findFirst()
					.orElseThrow()
					.getKey()
				+ "/saga")
			.json();
		assertThat(timedOut.get("compensations")).extracting((c) -> c.get("step").asText())
			.as("a timed-out charge may have happened: it is refunded too")
			.contains("charge", "reserve");
	}

	/**
	 * Kills each service in turn, then a piece of infrastructure, with orders in flight,
	 * and places more while each restarts: a restart delays orders, it does not cancel
	 * them (their steps wait for the participant instead of timing out), so every order
	 * that can complete does.
	 */
	private static void killEachServiceMidSaga(String infrastructure) throws Exception {
		List<String> placed = new ArrayList<>();
		for (String service : List.of("order", "payment", "inventory", "shipping", infrastructure)) {
			placed.add(placeRetrying("SKU-0030", "tok_visa", "US", "COMPLETED"));
			placed.add(placeRetrying("SKU-0031", "tok_chargeDeclined", "US", "CANCELLED"));
			placed.add(placeRetrying("SKU-0032", "tok_visa", "XX", "CANCELLED"));
			long pid = platform.pid(service);

			switchboard("kill", service, "--data-dir", dataDir.toString());
			placed.add(placeRetrying("SKU-0033", "tok_visa", "US", "COMPLETED"));

			await().atMost(TERMINAL).until(() -> platform.pid(service) != pid);
			awaitEveryServiceUp();
		}
		placed.forEach((id) -> assertThat(awaitTerminal(id).get("status").asText()).as(id).isEqualTo(expected.get(id)));
	}

}
