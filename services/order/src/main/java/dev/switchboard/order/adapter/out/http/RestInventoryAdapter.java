package dev.switchboard.order.adapter.out.http;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.switchboard.order.application.port.out.InventoryPort;
import dev.switchboard.order.domain.InventoryUnavailableException;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.OutOfStockException;
import dev.switchboard.order.domain.PlaceOrderCommand.Item;
import dev.switchboard.order.domain.UnknownSkuException;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.EdgeUnavailableException;
import dev.switchboard.platform.resilience.Edges;
import dev.switchboard.platform.security.InternalHttp;
import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Inventory over REST ({@code switchboard.transports.inventory=rest}, what
 * {@code up --edge order-inventory=rest} sets), the same port as the gRPC adapter and the
 * same edge {@code inventory}: deadline, bulkhead, circuit breaker, and retries, safe
 * because every call is keyed by the order id. Inventory answers refusals as problem+json
 * with a {@code code}, read here into the same exceptions as the gRPC statuses.
 *
 * <p>
 * A REST client cannot take a timeout per call: each attempt waits at most the edge's
 * timeout ({@code switchboard.edges.inventory.timeout}, by default the saga's reserve
 * timeout), while the edge stops retrying at the call's overall deadline.
 */
@Component
@ConditionalOnProperty(name = "switchboard.transports.inventory", havingValue = "rest")
class RestInventoryAdapter implements InventoryPort {

	private static final ParameterizedTypeReference<List<HeldBody>> HELD = new ParameterizedTypeReference<>() {
	};

	private final RestClient client;

	private final Edge edge;

	RestInventoryAdapter(@Value("${switchboard.services.inventory.url}") String url,
			@Value("${switchboard.edges.inventory.timeout:5s}") Duration timeout, InternalHttp http,
			ServiceCredential credential, Edges edges, RestClient.Builder builder) {
		// Spring Boot's builder: each call a span of the saga's trace, its context sent.
		this.client = builder.baseUrl(url)
			.requestFactory(http.requestsTo("inventory", timeout, timeout))
			.defaultHeaders((headers) -> {
				if (credential.present()) {
					headers.set(ServiceCredential.HEADER, credential.value());
				}
			})
			.build();
		this.edge = edges.edge("inventory");
	}

	@Override
	public List<OrderLine> reserve(String orderId, String attemptId, List<Item> items) {
		ReserveBody body = new ReserveBody(attemptId,
				items.stream().map((i) -> new LineBody(i.sku(), i.quantity())).toList());
		ReservationBody reservation;
		try {
			reservation = call((timeout) -> this.client.put()
				.uri("/reservations/{orderId}", orderId)
				.contentType(MediaType.APPLICATION_JSON)
				.body(body)
				.retrieve()
				.body(ReservationBody.class));
		}
		catch (HttpClientErrorException ex) {
			String message = detailOf(ex);
			throw switch (codeOf(ex)) {
				case "unknown-sku" -> new UnknownSkuException(message);
				case "out-of-stock" -> new OutOfStockException(message);
				case "reservation-conflict" -> new ReservationConflictException(message);
				default -> unavailable(ex);
			};
		}
		catch (RestClientException ex) {
			throw unavailable(ex);
		}
		if (reservation == null || reservation.lines() == null) {
			throw new InventoryUnavailableException("inventory: a reservation without lines", Duration.ofSeconds(1),
					null);
		}
		return reservation.lines()
			.stream()
			.map((l) -> new OrderLine(l.sku(), l.quantity(), l.unitPriceCents()))
			.toList();
	}

	@Override
	public void release(String orderId, String attemptId) {
		try {
			call((timeout) -> this.client.delete()
				.uri("/reservations/{orderId}?attemptId={attemptId}", orderId, attemptId)
				.retrieve()
				.toBodilessEntity());
		}
		catch (RestClientException ex) {
			throw unavailable(ex);
		}
	}

	@Override
	public List<HeldReservation> heldSince(Instant before, String afterOrderId, int limit) {
		List<HeldBody> held;
		try {
			held = call((timeout) -> this.client.get()
				.uri("/reservations?heldBefore={before}&after={after}&limit={limit}", before.toEpochMilli(),
						afterOrderId, limit)
				.retrieve()
				.body(HELD));
		}
		catch (RestClientException ex) {
			throw unavailable(ex);
		}
		return (held != null) ? held.stream()
			.map((h) -> new HeldReservation(h.orderId(), (h.attemptId() != null) ? h.attemptId() : "",
					Instant.ofEpochMilli(h.reservedAtEpochMillis())))
			.toList() : List.of();
	}

	private <T> T call(Function<Duration, T> attempt) {
		try {
			return this.edge.call(true, attempt);
		}
		catch (EdgeUnavailableException ex) {
			throw new InventoryUnavailableException(ex.getMessage(), ex.retryAfter(), ex);
		}
	}

	private static String codeOf(RestClientResponseException ex) {
		Map<?, ?> problem = problemOf(ex);
		return (problem != null && problem.get("code") instanceof String code) ? code : "";
	}

	private static String detailOf(RestClientResponseException ex) {
		Map<?, ?> problem = problemOf(ex);
		return (problem != null && problem.get("detail") instanceof String detail) ? detail : ex.getStatusText();
	}

	private static Map<?, ?> problemOf(RestClientResponseException ex) {
		try {
			return ex.getResponseBodyAs(Map.class);
		}
		catch (RuntimeException unreadable) {
			return null;
		}
	}

	private static InventoryUnavailableException unavailable(RestClientException ex) {
		return new InventoryUnavailableException("inventory: " + ex.getMessage(), Duration.ofSeconds(1), ex);
	}

	record ReserveBody(String attemptId, List<LineBody> lines) {
	}

	record LineBody(String sku, int quantity) {
	}

	record ReservationBody(String orderId, String state, List<ReservedLineBody> lines) {
	}

	record ReservedLineBody(String sku, int quantity, long unitPriceCents) {
	}

	record HeldBody(String orderId, String attemptId, long reservedAtEpochMillis) {
	}

}
