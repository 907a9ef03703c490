package dev.switchboard.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.testing.TestTokens;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rate limits per client and per address, on a gateway running for real with limits small
 * enough to reach: a client over its rate, or with as many requests in progress as it may
 * have, gets 429 with Retry-After (and the RateLimit fields), and no other caller is held
 * back by it. The routes asked for need no service behind the gateway (404 after
 * authentication). Each burst is sent after a warm-up, in far less than the second a
 * limit of one request per second takes to refill a token; the assertions allow that one
 * refill.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"switchboard.gateway.rate-limits.clients.tiny.rate=1", "switchboard.gateway.rate-limits.clients.tiny.burst=2",
		"switchboard.gateway.rate-limits.default-client.rate=1000",
		"switchboard.gateway.rate-limits.default-client.burst=1000", "switchboard.gateway.rate-limits.anonymous.rate=1",
		"switchboard.gateway.rate-limits.anonymous.burst=2", "switchboard.gateway.rate-limits.clients.narrow.rate=1000",
		"switchboard.gateway.rate-limits.clients.narrow.burst=1000",
		"switchboard.gateway.rate-limits.clients.narrow.concurrent=1", "switchboard.edges.order.retry.max-attempts=1",
		"switchboard.edges.order.timeout=30s" })
class RateLimitTest {

	private static final TestTokens tokens = TestTokens.start();

	/** Holds every GetOrder until released: a request that stays in progress. */
	private static final CountDownLatch release = new CountDownLatch(1);

	private static final CountDownLatch holding = new CountDownLatch(1);

	private static final Server orders = start();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry registry) {
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwkSetUri);
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestTokens.ISSUER);
		registry.add("spring.grpc.client.channel.order.target", () -> "127.0.0.1:" + orders.getPort());
	}

	@AfterAll
	static void stop() {
		release.countDown();
		orders.shutdownNow();
		tokens.close();
	}

	@Test
	void aClientWithAsManyRequestsInProgressAsItMayHaveGets429ForMore() throws Exception {
		String narrow = tokens.issue("narrow", "orders:read");
		CompletableFuture<HttpResponse<String>> first = this.http
			.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/orders/o-1"))
				.header("Authorization", "Bearer " + narrow)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(holding.await(30, TimeUnit.SECONDS)).as("the first request reached the order service").isTrue();

		HttpResponse<String> second = get(narrow);
		assertThat(second.statusCode()).isEqualTo(429);
		assertThat(second.body()).contains("more than 1 requests in progress at once");
		assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(get(tokens.issue("someone-else", "orders:read")).statusCode()).as("others go on").isEqualTo(404);

		release.countDown();
		assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		// The permit is given back when the gateway's filter returns, which may be just
		// after the client has read the answer.
		await().atMost(java.time.Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(get(narrow).statusCode()).as("its permit is back").isEqualTo(404));
	}

	private static Server start() {
		try {
			return ServerBuilder.forPort(0).addService(new OrderServiceGrpc.OrderServiceImplBase() {
				@Override
				public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
					holding.countDown();
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					response.onNext(Order.newBuilder().setOrderId(request.getOrderId()).build());
					response.onCompleted();
				}
			}).build().start();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void aClientOverItsLimitGets429AndOthersGoOn() throws Exception {
		String other = tokens.issue("someone-else", "orders:read");
		for (int i = 0; i < 3; i++) {
			assertThat(get(other).statusCode()).as("warm-up").isEqualTo(404);
		}
		String tiny = tokens.issue("tiny", "orders:read");

		List<HttpResponse<String>> answers = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			answers.add(get(tiny));
		}

		HttpResponse<String> first = answers.getFirst();
		assertThat(first.statusCode()).isEqualTo(404);
		assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"client\";q=2;w=2");
		assertThat(first.headers().firstValue("RateLimit")).hasValue("\"client\";r=1;t=1");
		List<HttpResponse<String>> limited = answers.stream().filter((a) -> a.statusCode() == 429).toList();
		assertThat(limited).as("2 at once, 1 more per second").hasSizeGreaterThanOrEqualTo(2);
		HttpResponse<String> refused = limited.getFirst();
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refused.body()).contains("\"status\":429", "more than 1 requests per second (bursts of 2)");
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(refused.headers().firstValue("RateLimit")).hasValue("\"client\";r=0;t=1");

		assertThat(get(other).statusCode()).as("another client is not held back").isEqualTo(404);
	}

	@Test
	void requestsWithoutATokenAreLimitedPerAddress() throws Exception {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> answer = this.http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			statuses.add(answer.statusCode());
			assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"address\";q=2;w=2");
		}
		assertThat(statuses.getFirst()).isEqualTo(200);
		assertThat(statuses).filteredOn((status) -> status == 429).hasSizeGreaterThanOrEqualTo(2);
	}

	private HttpResponse<String> get(String token) throws Exception {
		return this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/orders/o-1/nothing-here"))
					.header("Authorization", "Bearer " + token)
					.build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
