package dev.switchboard.gateway.orders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client is told when creating an order fails, with the gateway running for real
 * and a stand-in order service on a real socket: "not placed" (503) and "outcome unknown"
 * (504) must not be confused, or a client counts a placed order as refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "switchboard.edges.order-create.timeout=300ms", "switchboard.edges.order-create.retry.max-attempts=1" })
class CreateOrderAnswersTest {

	private static final Server orders = start();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void orderService(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channel.order.target", () -> "127.0.0.1:" + orders.getPort());
	}

	@AfterAll
	static void stop() {
		orders.shutdownNow();
	}

	@Test
	void noAnswerWithinTheDeadlineIsA504ThatSaysTheOrderMayHaveBeenPlaced() throws Exception {
		HttpResponse<String> response = create("never-answers");

		assertThat(response.statusCode()).isEqualTo(504);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		assertThat(response.body()).contains("may have been placed").contains("same Idempotency-Key");
	}

	@Test
	void aShedOrderIsA503WithRetryAfter() throws Exception {
		HttpResponse<String> response = create("shed");

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
	}

	private HttpResponse<String> create(String key) throws IOException, InterruptedException {
		String body = """
				{"customerId":"c-1","items":[{"sku":"SKU-0001","quantity":1}],"paymentToken":"tok_visa",
				 "shippingAddress":{"country":"US","city":"Austin","line1":"1 Main St","postalCode":"78701"}}""";
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/orders"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static Server start() {
		try {
			return ServerBuilder.forPort(0).addService(new StandInOrders()).build().start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Sheds the key "shed"; never answers any other (the call ends at the caller's deadline). */
	static final class StandInOrders extends OrderServiceGrpc.OrderServiceImplBase {

		@Override
		public void createOrder(CreateOrderRequest request, StreamObserver<CreateOrderResponse> response) {
			if (request.getIdempotencyKey().equals("shed")) {
				response.onError(Status.RESOURCE_EXHAUSTED.withDescription("too many orders in flight").asRuntimeException());
			}
		}

	}

}
