package dev.switchboard.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.Api.order;
import static dev.switchboard.e2e.Api.post;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions 1 and 2 of the public API side by side on the real platform: v2 writes money
 * as an amount with its currency and names an order's lines; the API-Version header or
 * the version query parameter chooses the version whatever the path says; every v1 answer
 * says v1 is deprecated, when it goes and where its successor is; an unknown version is a
 * 400.
 */
@PlatformTest
@Order(5)
class ApiVersionsIT {

	private static String v2() {
		return api.replace("/api/v1", "/api/v2");
	}

	@Test
	@Order(10)
	void version2WritesMoneyAsAnAmountWithItsCurrency() {
		Api.Response v1 = get(api + "/products/SKU-0074");
		Api.Response v2 = get(v2() + "/products/SKU-0074");
		assertThat(v2.status()).isEqualTo(200);
		assertThat(v2.json().get("price").get("currency").asString()).isEqualTo("USD");
		assertThat(v2.json().get("price").get("amount").isString()).isTrue();
		assertThat(v2.json().get("price").get("amount").asString())
			.isEqualTo(v1.json().get("price").decimalValue().setScale(2).toPlainString());
		assertThat(v2.header("Deprecation")).isNull();

		JsonNode summary = get(v2() + "/analytics/summary").json();
		assertThat(summary.get("revenue").get("currency").asString()).isEqualTo("USD");
	}

	@Test
	@Order(20)
	void aVersion2OrderHasAmountsAndItsLinesNameTheirProducts() {
		String name = get(api + "/products/SKU-0074").json().get("name").asString();
		Api.Response placed = post(v2() + "/orders", "application/json", order("SKU-0074", 2, "tok_visa", "US"));
		assertThat(placed.status()).as(placed.body()).isEqualTo(201);
		String id = placed.json().get("orderId").asString();
		expected.put(id, "COMPLETED");
		assertThat(placed.header("Location")).isEqualTo("/api/v2/orders/" + id);

		JsonNode order = get(v2() + "/orders/" + id).json();
		JsonNode line = order.get("lines").get(0);
		assertThat(line.get("sku").asString()).isEqualTo("SKU-0074");
		assertThat(line.get("name").asString()).isEqualTo(name);
		assertThat(line.get("quantity").asInt()).isEqualTo(2);
		assertThat(line.get("unitPrice").get("amount").isString()).isTrue();
		assertThat(order.get("total").get("currency").asString()).isEqualTo("USD");
		assertThat(order.has("items")).as("v1's name for the lines").isFalse();

		awaitTerminal(id);
		Api.Response done = get(v2() + "/orders/" + id);
		assertThat(get(v2() + "/orders/" + id, "If-None-Match", done.header("ETag")).status()).isEqualTo(304);
		assertThat(get(v2() + "/products/SKU-0074", "If-None-Match", get(v2() + "/products/SKU-0074").header("ETag"))
			.status()).isIn(200, 304);
		assertThat(get(v2() + "/products", "If-None-Match", get(v2() + "/products").header("ETag")).status()).isIn(200,
				304);
	}

	@Test
	@Order(30)
	void theVersionHeaderOrQueryChoosesTheVersionWhateverThePathSays() {
		assertThat(get(api + "/products/SKU-0074", "API-Version", "2").json().get("price").isObject()).isTrue();
		assertThat(get(api + "/products/SKU-0074?version=2").json().get("price").isObject()).isTrue();
		Api.Response asV1 = get(v2() + "/products/SKU-0074", "API-Version", "1");
		assertThat(asV1.json().get("price").isNumber()).isTrue();
		assertThat(asV1.header("Deprecation")).isNotNull();
	}

	@Test
	@Order(40)
	void everyVersion1AnswerSaysItIsDeprecatedWhenItGoesAndWhereItsSuccessorIs() {
		Api.Response product = get(api + "/products/SKU-0074");
		assertThat(product.header("Deprecation")).matches("@\\d+");
		assertThat(product.header("Sunset")).endsWith("GMT");
		assertThat(product.header("Link")).contains("</api/v2/products/SKU-0074>; rel=\"successor-version\"");
		assertThat(get(api + "/orders/no-such-order").header("Deprecation")).as("errors too").isNotNull();
	}

	@Test
	@Order(50)
	void aVersionNotServedIs400() {
		Api.Response v3 = get(api.replace("/api/v1", "/api/v3") + "/products");
		assertThat(v3.status()).isEqualTo(400);
		assertThat(v3.header("Content-Type")).startsWith("application/problem+json");
	}

}
