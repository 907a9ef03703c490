package dev.switchboard.e2e;

import java.time.Duration;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backends for frontends on the real platform: an order page in one call, composed
 * from order, inventory, shipping and notification; the mobile page smaller than the web
 * page; a source that fails is named in {@code partial}, and the page is still a 200.
 */
@PlatformTest
@Order(5)
class OrderPagesIT {

	private static String pages() {
		return platform.gatewayUrl() + "/bff";
	}

	@Test
	@Order(10)
	void theWebPageHasTheOrderItsNamedLinesSagaShipmentAndNotificationsInOneCall() {
		String name = get(api + "/products/SKU-0075").json().get("name").asString();
		String id = place("SKU-0075", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(id);

		await().atMost(TERMINAL).untilAsserted(() -> {
			JsonNode page = get(pages() + "/web/orders/" + id).json();
			assertThat(page.get("partial")).isEmpty();
			assertThat(page.get("notifications")).isNotEmpty();
		});
		Api.Response web = get(pages() + "/web/orders/" + id);
		JsonNode page = web.json();
		assertThat(page.get("order").get("status").asString()).isEqualTo("COMPLETED");
		assertThat(page.get("order").get("lines").get(0).get("name").asString()).isEqualTo(name);
		assertThat(page.get("saga").get("status").asString()).isEqualTo("completed");
		assertThat(page.get("shipment").get("status").asString()).isEqualTo("CREATED");

		Api.Response mobile = get(pages() + "/mobile/orders/" + id);
		JsonNode summary = mobile.json();
		assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(summary.get("shipment").asString()).isEqualTo("CREATED");
		assertThat(summary.get("progress").asString()).matches("(\\d+)/\\1");
		assertThat(summary.get("partial")).isEmpty();
		assertThat(mobile.body().length()).as("mobile bytes against web bytes").isLessThan(web.body().length() / 4);
	}

	@Test
	@Order(20)
	void aSourceThatFailsIsNamedInPartialAndThePageIsStillServed() throws Exception {
		String id = place("SKU-0075", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(id);
		switchboard("fault", "shipping", "--abort", "--route", "/shipments/", "--for", "60s", "--data-dir",
				dataDir.toString());
		try {
			Api.Response web = get(pages() + "/web/orders/" + id);
			assertThat(web.status()).as(web.body()).isEqualTo(200);
			assertThat(web.json().get("partial").toString()).isEqualTo("[\"shipment\"]");
			assertThat(web.json().has("shipment")).isFalse();
			assertThat(web.json().get("order").get("orderId").asString()).isEqualTo(id);
			Api.Response mobile = get(pages() + "/mobile/orders/" + id);
			assertThat(mobile.status()).isEqualTo(200);
			assertThat(mobile.json().get("partial").toString()).isEqualTo("[\"shipment\"]");
		}
		finally {
			switchboard("fault", "shipping", "--clear", "--data-dir", dataDir.toString());
		}
		// Pages whole again, and the gateway's breaker to shipping closed by its trial
		// calls:
		// the tests after these find the platform as it was.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> get(pages() + "/web/orders/" + id).json().get("partial").isEmpty()
					&& get(management("gateway", "/actuator/resilience")).json()
						.path("edges")
						.path("shipping")
						.path("breakerState")
						.asString()
						.equals("CLOSED"));
	}

	@Test
	@Order(30)
	void anotherClientsOrderIsNotFoundAndTheWholePageNeedsAToken() throws Exception {
		String id = place("SKU-0075", 1, "tok_visa", "US", "COMPLETED");
		String other = "Bearer " + new dev.switchboard.launcher.platform.AccessTokens(platform.gatewayUrl(),
				platform.loadClient(), dev.switchboard.launcher.platform.AccessTokens.ALL_SCOPES)
			.token();
		assertThat(get(pages() + "/web/orders/" + id, "Authorization", other).status()).isEqualTo(404);
		assertThat(get(pages() + "/mobile/orders/" + id, "Authorization", other).status()).isEqualTo(404);
		assertThat(get(pages() + "/web/orders/" + id, "Authorization", "").status()).isEqualTo(401);
	}

}
