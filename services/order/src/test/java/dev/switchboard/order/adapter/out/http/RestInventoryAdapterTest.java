package dev.switchboard.order.adapter.out.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.order.application.port.out.InventoryPort.HeldReservation;
import dev.switchboard.order.application.port.out.InventoryPort.ReservationConflictException;
import dev.switchboard.order.domain.InventoryUnavailableException;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.OutOfStockException;
import dev.switchboard.order.domain.PlaceOrderCommand.Item;
import dev.switchboard.order.domain.UnknownSkuException;
import dev.switchboard.platform.internal.resilience.EdgeSettings;
import dev.switchboard.platform.internal.resilience.ResilienceProperties;
import dev.switchboard.platform.resilience.Edges;
import dev.switchboard.platform.security.InternalHttp;
import dev.switchboard.platform.security.ServiceCredential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The REST inventory adapter against a stand-in inventory speaking the REST contract over
 * a real socket: what it sends, and how each answer becomes the port's result or
 * exception, exactly as the gRPC adapter's statuses do.
 */
class RestInventoryAdapterTest {

	private HttpServer inventory;

	/**
	 * What the stand-in answers next, by method: status and body (problem+json if >=
	 * 400).
	 */
	private final Map<String, Queue<Answer>> answers = new ConcurrentHashMap<>();

	private final Queue<String> requests = new ConcurrentLinkedQueue<>();

	private RestInventoryAdapter adapter;

	record Answer(int status, String body) {
	}

	@BeforeEach
	void start() throws IOException {
		this.inventory = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.inventory.createContext("/reservations", this::answer);
		this.inventory.start();
		this.adapter = adapterTo("http://127.0.0.1:" + this.inventory.getAddress().getPort());
	}

	@AfterEach
	void stop() {
		this.inventory.stop(0);
	}

	private static RestInventoryAdapter adapterTo(String url) {
		Edges edges = new Edges(new ResilienceProperties(Map.of("inventory", EdgeSettings.defaults()), null),
				CircuitBreakerRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(), new SimpleMeterRegistry());
		return new RestInventoryAdapter(url, Duration.ofSeconds(2), InternalHttp.plain(), new ServiceCredential(""),
				edges, org.springframework.web.client.RestClient.builder());
	}

	private void answer(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		this.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
		Answer answer = this.answers.getOrDefault(exchange.getRequestMethod(), new ConcurrentLinkedQueue<>()).poll();
		if (answer == null) {
			answer = new Answer(500, problem("internal", "nothing to say"));
		}
		byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders()
			.set("Content-Type", (answer.status() >= 400) ? "application/problem+json" : "application/json");
		exchange.sendResponseHeaders(answer.status(), bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	private void next(String method, int status, String body) {
		this.answers.computeIfAbsent(method, (m) -> new ConcurrentLinkedQueue<>()).add(new Answer(status, body));
	}

	private static String problem(String code, String detail) {
		return "{\"type\":\"about:blank\",\"status\":409,\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}";
	}

	@Test
	void aReservationSendsTheAttemptAndLinesAndReturnsThePricedLines() {
		next("PUT", 200,
				"""
						{"orderId":"o-1","state":"RESERVED","lines":[{"sku":"SKU-0001","quantity":2,"unitPriceCents":1999}]}""");

		List<OrderLine> lines = this.adapter.reserve("o-1", "a-1", List.of(new Item("SKU-0001", 2)));

		assertThat(lines).containsExactly(new OrderLine("SKU-0001", 2, 1999));
		assertThat(this.requests).singleElement()
			.isEqualTo(
					"PUT /reservations/o-1 {\"attemptId\":\"a-1\",\"lines\":[{\"sku\":\"SKU-0001\",\"quantity\":2}]}");
	}

	@Test
	void eachRefusalIsTheSameExceptionAsOverGrpcAndIsNotRetried() {
		next("PUT", 404, problem("unknown-sku", "unknown SKU SKU-9999"));
		assertThatThrownBy(() -> this.adapter.reserve("o-2", "a", List.of(new Item("SKU-9999", 1))))
			.isInstanceOf(UnknownSkuException.class)
			.hasMessageContaining("SKU-9999");
		next("PUT", 409, problem("out-of-stock", "SKU-0001: 1 left"));
		assertThatThrownBy(() -> this.adapter.reserve("o-2", "a", List.of(new Item("SKU-0001", 5))))
			.isInstanceOf(OutOfStockException.class)
			.hasMessageContaining("1 left");
		next("PUT", 409, problem("reservation-conflict", "other lines"));
		assertThatThrownBy(() -> this.adapter.reserve("o-2", "a", List.of(new Item("SKU-0001", 5))))
			.isInstanceOf(ReservationConflictException.class);
		// A late copy of a released attempt: the caller cannot place it now (gRPC:
		// ABORTED).
		next("PUT", 409, problem("reservation-released", "released"));
		assertThatThrownBy(() -> this.adapter.reserve("o-2", "a", List.of(new Item("SKU-0001", 5))))
			.isInstanceOf(InventoryUnavailableException.class);
		assertThat(this.requests).hasSize(4);
	}

	@Test
	void anUnavailableInventoryIsRetriedWithinTheEdgeAndThenReportedUnavailable() {
		next("PUT", 503, problem("unavailable", "database down"));
		next("PUT", 200, """
				{"orderId":"o-3","state":"RESERVED","lines":[{"sku":"SKU-0001","quantity":1,"unitPriceCents":5}]}""");

		assertThat(this.adapter.reserve("o-3", "a", List.of(new Item("SKU-0001", 1)))).hasSize(1);
		assertThat(this.requests).hasSize(2);

		assertThatThrownBy(() -> this.adapter.reserve("o-3", "a", List.of(new Item("SKU-0001", 1))))
			.isInstanceOf(InventoryUnavailableException.class);
		assertThatThrownBy(() -> adapterTo("http://127.0.0.1:1").release("o-3", "a"))
			.isInstanceOf(InventoryUnavailableException.class);
	}

	@Test
	void aReleaseNamesItsAttemptAndHeldReservationsAreRead() {
		next("DELETE", 200, "{\"orderId\":\"o-4\",\"state\":\"RELEASED\",\"lines\":[]}");
		next("GET", 200, "[{\"orderId\":\"o-5\",\"attemptId\":\"a-5\",\"reservedAtEpochMillis\":1000}]");

		this.adapter.release("o-4", "a-4");
		List<HeldReservation> held = this.adapter.heldSince(Instant.ofEpochMilli(5000), "o-1", 10);

		assertThat(held).containsExactly(new HeldReservation("o-5", "a-5", Instant.ofEpochMilli(1000)));
		assertThat(this.requests).containsExactly("DELETE /reservations/o-4?attemptId=a-4 ",
				"GET /reservations?heldBefore=5000&after=o-1&limit=10 ");
	}

}
