package dev.switchboard.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.launcher.platform.AccessTokens;

import static dev.switchboard.e2e.E2e.TERMINAL;
import static dev.switchboard.e2e.E2e.awaitTerminal;
import static dev.switchboard.e2e.E2e.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GraphQL on the real platform: an order placed with the mutation (and its
 * Idempotency-Key honoured), followed live by a subscription over WebSocket to its final
 * status, then read in one query with its lines' products, saga, payment, shipment and
 * notifications, each from its own service.
 */
@PlatformTest
@Order(5)
class GraphQlIT {

	private static final String PLACE = """
			mutation($key: String) { placeOrder(idempotencyKey: $key, order: {
			  items: [{ sku: "SKU-0074", quantity: 2 }], paymentToken: "tok_visa",
			  shippingAddress: { country: "US", city: "Austin", line1: "1 Main St", postalCode: "78701" } })
			  { replayed order { orderId status total { amount currency } } } }""";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static String graphql() {
		return platform.gatewayUrl() + "/graphql";
	}

	private static String token() throws Exception {
		return new AccessTokens(platform.gatewayUrl(), AccessTokens.DEMO, AccessTokens.ALL_SCOPES).token();
	}

	private static JsonNode query(String query, Map<String, Object> variables, String token) throws Exception {
		String body = Api.JSON.writeValueAsString(Map.of("query", query, "variables", variables));
		Api.Response response = (token != null)
				? Api.post(graphql(), "application/json", body, "Authorization", "Bearer " + token)
				: Api.post(graphql(), "application/json", body);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	@Test
	@Order(10)
	void anOrderPlacedFollowedAndReadThroughGraphQl() throws Exception {
		String token = token();
		String key = "graphql-" + UUID.randomUUID();
		JsonNode placed = query(PLACE, Map.of("key", key), token).path("data").path("placeOrder");
		String id = placed.path("order").path("orderId").asString();
		assertThat(id).isNotEmpty();
		assertThat(placed.path("replayed").asBoolean()).isFalse();
		assertThat(placed.path("order").path("total").path("currency").asString()).isEqualTo("USD");
		JsonNode again = query(PLACE, Map.of("key", key), token).path("data").path("placeOrder");
		assertThat(again.path("order").path("orderId").asString()).isEqualTo(id);
		assertThat(again.path("replayed").asBoolean()).isTrue();

		assertThat(follow(id, token)).as("every status change, in order, once")
			.containsExactly("PENDING", "PAID", "COMPLETED");
		awaitTerminal(id);

		String read = """
				query($ids: [ID!]!) { orders(orderIds: $ids) {
				  orderId status
				  lines { sku name quantity product { name available } }
				  saga { status steps { name state } }
				  payment { status amount { amount } }
				  shipment { status country }
				  notifications { kind }
				} }""";
		// Until every source has answered (a breaker another class left open closes
		// first).
		JsonNode[] answer = new JsonNode[1];
		await().atMost(TERMINAL).untilAsserted(() -> {
			answer[0] = query(read, Map.of("ids", List.of(id, "not-an-order")), token);
			assertThat(answer[0].path("errors").isMissingNode()).as(answer[0].toString()).isTrue();
			assertThat(answer[0].path("data").path("orders")).hasSize(1);
			assertThat(answer[0].path("data").path("orders").get(0).path("notifications")).isNotEmpty();
		});
		JsonNode order = answer[0].path("data").path("orders").get(0);
		assertThat(order.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(order.path("lines").get(0).path("quantity").asInt()).isEqualTo(2);
		assertThat(order.path("lines").get(0).path("product").path("name").asString())
			.isEqualTo(order.path("lines").get(0).path("name").asString())
			.isNotEmpty();
		assertThat(order.path("saga").path("status").asString()).isEqualTo("completed");
		assertThat(order.path("payment").path("status").asString()).isEqualTo("APPROVED");
		assertThat(order.path("shipment").path("status").asString()).isEqualTo("CREATED");
		assertThat(order.path("notifications").findValuesAsString("kind")).contains("ORDER_RECEIVED");
	}

	@Test
	@Order(20)
	void productsArePublicOrdersAreNotAndGraphiQlAndTheLivePageAreServed() throws Exception {
		JsonNode products = query("{ products { sku price { amount currency } } }", Map.of(), null);
		assertThat(products.path("data").path("products").findValuesAsString("sku")).contains("SKU-0001", "SKU-0100");
		JsonNode anonymous = query("{ order(orderId: \"x\") { status } }", Map.of(), null);
		assertThat(anonymous.path("errors").get(0).path("extensions").path("classification").asString())
			.isEqualTo("UNAUTHORIZED");
		Api.Response graphiql = Api.get(platform.gatewayUrl() + "/graphiql");
		assertThat(graphiql.status()).as("to the page that knows the endpoint").isEqualTo(307);
		assertThat(Api.get(URI.create(platform.gatewayUrl()).resolve(graphiql.header("Location")).toString()).status())
			.isEqualTo(200);
		Api.Response live = Api.get(platform.gatewayUrl() + "/live.html");
		assertThat(live.status()).isEqualTo(200);
		assertThat(live.body()).contains("/ws/orders").contains("graphql-transport-ws");
	}

	/** The order's statuses as a subscription over WebSocket gets them, to the end. */
	private List<String> follow(String orderId, String token) throws Exception {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		WebSocket socket = this.http.newWebSocketBuilder()
			.subprotocols("graphql-transport-ws")
			.buildAsync(URI.create(graphql().replaceFirst("^http", "ws")), new WebSocket.Listener() {

				private final StringBuilder partial = new StringBuilder();

				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					this.partial.append(data);
					if (last) {
						messages.add(this.partial.toString());
						this.partial.setLength(0);
					}
					webSocket.request(1);
					return null;
				}

			})
			.get(10, TimeUnit.SECONDS);
		try {
			socket.sendText("{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + token + "\"}}",
					true);
			assertThat(Api.JSON.readTree(messages.poll(10, TimeUnit.SECONDS)).path("type").asString())
				.isEqualTo("connection_ack");
			socket.sendText(Api.JSON.writeValueAsString(Map.of("id", "1", "type", "subscribe", "payload",
					Map.of("query", "subscription($id: ID) { orderUpdates(orderId: $id) { seq status } }", "variables",
							Map.of("id", orderId)))),
					true);
			List<String> statuses = new ArrayList<>();
			while (true) {
				String message = messages.poll(TERMINAL.toSeconds(), TimeUnit.SECONDS);
				assertThat(message).as("the order's updates, then complete").isNotNull();
				JsonNode json = Api.JSON.readTree(message);
				if (json.path("type").asString().equals("complete")) {
					return statuses;
				}
				assertThat(json.path("type").asString()).as(message).isEqualTo("next");
				statuses.add(json.path("payload").path("data").path("orderUpdates").path("status").asString());
			}
		}
		finally {
			socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
		}
	}

}
