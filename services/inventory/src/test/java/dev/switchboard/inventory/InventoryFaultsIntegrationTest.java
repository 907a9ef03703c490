package dev.switchboard.inventory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.ListProductsRequest;
import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.platform.resilience.RetryAfter;
import dev.switchboard.testing.ServiceIntegrationTest;
import dev.switchboard.testing.TestEvents;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Fault injection and load shedding of a real service over real sockets: the admin
 * endpoint, the gRPC interceptors, and a concurrency limit of one call.
 */
@ServiceIntegrationTest(service = "inventory", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		topics = { Topics.ORDER_CHOREOGRAPHY, Topics.PAYMENT_EVENTS, Topics.INVENTORY_COMMANDS },
		properties = { "switchboard.admin.token=s3cret", "switchboard.shedding.max-concurrent-requests=1" })
class InventoryFaultsIntegrationTest {

	private static final int GRPC_PORT = FreePorts.next();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static ManagedChannel channel;

	@LocalServerPort
	int httpPort;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.server.port", () -> GRPC_PORT);
	}

	@BeforeAll
	static void connect() {
		channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
	}

	@AfterAll
	static void disconnect() {
		channel.shutdownNow();
	}

	@AfterEach
	void clearFault() throws Exception {
		admin("DELETE", null, "s3cret");
	}

	InventoryServiceGrpc.InventoryServiceBlockingStub inventory() {
		return InventoryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofSeconds(10));
	}

	HttpResponse<String> admin(String method, String body, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/admin/faults"))
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void faultsNeedTheAdminToken() throws Exception {
		assertThat(admin("PUT", "{\"abort\":true}", null).statusCode()).isEqualTo(401);
		assertThat(admin("PUT", "{\"abort\":true}", "guess").statusCode()).isEqualTo(401);
		assertThat(admin("GET", null, "guess").statusCode()).isEqualTo(401);

		HttpResponse<String> invalid = admin("PUT", "{\"errorRate\":1.5}", "s3cret");
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(inventory().getProduct(GetProductRequest.newBuilder().setSku("SKU-0001").build()).getSku())
			.isEqualTo("SKU-0001");
	}

	@Test
	void anAbortFailsTheMatchingCallsUntilCleared() throws Exception {
		HttpResponse<String> set = admin("PUT", "{\"abort\":true,\"route\":\"GetProduct\",\"durationSeconds\":60}",
				"s3cret");
		assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

		assertThatThrownBy(() -> inventory().getProduct(GetProductRequest.newBuilder().setSku("SKU-0001").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(ex.getStatus().getDescription()).isEqualTo("injected fault");
			});
		assertThat(inventory().listProducts(ListProductsRequest.getDefaultInstance()).getProductsCount())
			.as("another route is not affected")
			.isGreaterThan(0);
		assertThat(admin("GET", null, "s3cret").body()).contains("\"active\":true", "\"failedCalls\":1");

		assertThat(admin("DELETE", null, "s3cret").statusCode()).isEqualTo(204);
		assertThat(inventory().getProduct(GetProductRequest.newBuilder().setSku("SKU-0001").build()).getSku())
			.isEqualTo("SKU-0001");
	}

	@Test
	void aCallBeyondTheConcurrencyLimitIsRefusedAtOnceWithRetryAfter() throws Exception {
		admin("PUT", "{\"latencyMs\":1500,\"route\":\"GetProduct\"}", "s3cret");
		CompletableFuture<Product> slow = CompletableFuture
			.supplyAsync(() -> inventory().getProduct(GetProductRequest.newBuilder().setSku("SKU-0002").build()));
		await().atMost(Duration.ofSeconds(5)).until(() -> resilience().contains("\"grpcInFlight\":1"));

		assertThatThrownBy(() -> inventory().listProducts(ListProductsRequest.getDefaultInstance()))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
				assertThat(RetryAfter.of(ex)).contains(Duration.ofSeconds(1));
			});

		assertThat(slow.get().getSku()).isEqualTo("SKU-0002");
		assertThat(inventory().listProducts(ListProductsRequest.getDefaultInstance()).getProductsCount())
			.as("its place was given back")
			.isGreaterThan(0);
	}

	@Test
	void aFaultNamingItsEventsMakesASlowConsumerAndOneOnItsCallsDoesNot() throws Exception {
		HttpResponse<String> set = admin("PUT",
				"{\"latencyMs\":100,\"route\":\"events:inventory.choreography\",\"durationSeconds\":60}", "s3cret");
		assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
		String first = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, first, OrderCancelled.newBuilder().setOrderId(first).build());
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(admin("GET", null, "s3cret").body()).contains("\"delayedDeliveries\":1",
					"\"delayedCalls\":0"));

		// A fault on every call (no route) leaves the consumer's pace alone.
		admin("PUT", "{\"latencyMs\":100,\"durationSeconds\":60}", "s3cret");
		double handled = handled();
		String second = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, second, OrderCancelled.newBuilder().setOrderId(second).build());
		await().atMost(Duration.ofSeconds(60)).until(() -> handled() > handled);
		assertThat(admin("GET", null, "s3cret").body()).contains("\"delayedDeliveries\":0");
	}

	/** Messages this service's consumers have handled. */
	private double handled() throws Exception {
		String metric = HTTP
			.send(HttpRequest
				.newBuilder(URI
					.create("http://127.0.0.1:" + this.httpPort + "/actuator/metrics/switchboard.messages.handled"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
		java.util.regex.Matcher count = java.util.regex.Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.E]+)")
			.matcher(metric);
		return count.find() ? Double.parseDouble(count.group(1)) : 0;
	}

	private String resilience() throws Exception {
		return HTTP
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/resilience"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
