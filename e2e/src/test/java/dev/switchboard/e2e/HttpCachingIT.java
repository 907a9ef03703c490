package dev.switchboard.e2e;

import java.time.Duration;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP caching at the edge, on the real platform: product and order reads carry an
 * {@code ETag} and answer {@code 304} while unchanged; products are served from the
 * gateway's cache (for up to 30 s) and a change of stock or price, made by an order or by
 * hand in inventory's database, reaches the next read at once, not 30 s later.
 */
@PlatformTest
@Order(5)
class HttpCachingIT {

	@Test
	@Order(10)
	void productReadsCarryAnETagAndCacheControlAndAre304WhileUnchanged() {
		for (String path : new String[] { "/products", "/products/SKU-0070" }) {
			Api.Response first = get(api + path);
			assertThat(first.status()).isEqualTo(200);
			assertThat(first.header("Cache-Control")).as(path).isEqualTo("max-age=30, public");
			String tag = first.header("ETag");
			assertThat(tag).as(path).startsWith("\"");

			Api.Response unchanged = get(api + path, "If-None-Match", tag);
			assertThat(unchanged.status()).as(path).isEqualTo(304);
			assertThat(unchanged.body()).isEmpty();
		}
	}

	@Test
	@Order(20)
	void theGatewayServesProductsFromItsCacheAndAnOrderOrAPriceChangeReachesTheNextReadAtOnce() throws Exception {
		String sku = "SKU-0071";
		Api.Response before = get(api + "/products/" + sku);
		double hits = cacheHits();
		Api.Response cached = get(api + "/products/" + sku);
		assertThat(cached.body()).isEqualTo(before.body());
		assertThat(cacheHits()).as("answered from the gateway's cache").isGreaterThan(hits);

		int available = before.json().get("available").asInt();
		place(sku, 2, "tok_visa", "US", "COMPLETED");
		// Well within the 30 s the cached answer had left: the change invalidated it.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get(api + "/products/" + sku).json().get("available").asInt() == available - 2);

		String price = get(api + "/products/" + sku).json().get("price").asText();
		try (java.sql.Connection inventory = platform.connectToDatabase("inventory");
				java.sql.PreparedStatement raise = inventory
					.prepareStatement("UPDATE products SET price_cents = price_cents + ? WHERE sku = ?")) {
			raise.setInt(1, 100);
			raise.setString(2, sku);
			raise.executeUpdate();
			try {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> !get(api + "/products/" + sku).json().get("price").asText().equals(price));
			}
			finally {
				raise.setInt(1, -100);
				raise.executeUpdate();
			}
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get(api + "/products/" + sku).json().get("price").asText().equals(price));
	}

	@Test
	@Order(30)
	void anOrdersETagChangesWithItsStatusAndIsA304WhileItDoesNot() {
		String id = place("SKU-0072", 1, "tok_visa", "US", "COMPLETED");
		Api.Response pending = get(api + "/orders/" + id);
		assertThat(pending.header("Cache-Control")).isEqualTo("no-cache, private");
		String pendingTag = pending.header("ETag");

		awaitTerminal(id);
		Api.Response done = get(api + "/orders/" + id, "If-None-Match", pendingTag);
		assertThat(done.json().get("status").asText()).isEqualTo("COMPLETED");
		if (!pending.json().get("status").asText().equals("COMPLETED")) {
			assertThat(done.status()).as("the status changed: a new body and tag").isEqualTo(200);
			assertThat(done.header("ETag")).isNotEqualTo(pendingTag);
		}
		Api.Response unchanged = get(api + "/orders/" + id, "If-None-Match", done.header("ETag"));
		assertThat(unchanged.status()).isEqualTo(304);
	}

	private static double cacheHits() {
		return get(management("gateway", "/actuator/metrics/switchboard.gateway.product.cache?tag=result:hit")).json()
			.get("measurements")
			.get(0)
			.get("value")
			.asDouble();
	}

}
