package dev.switchboard.gateway.orders;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import com.google.protobuf.util.JsonFormat;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.ListOrdersRequest;
import dev.switchboard.contracts.order.v1.ListOrdersResponse;
import dev.switchboard.contracts.order.v1.ListSagasResponse;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.platform.resilience.RetryAfter;
import dev.switchboard.platform.security.InternalHttp;
import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.converter.protobuf.ProtobufJsonFormatHttpMessageConverter;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.util.UriBuilder;

/**
 * The order service's unary calls over HTTP ({@code switchboard.transports.order=rest}):
 * its HTTP binding of the same API, the messages in protobuf's canonical JSON mapping,
 * the caller's token in {@code Authorization}. Its refusals are problem+json whose
 * {@code code} is the gRPC status the same call would have ended with; read back into
 * that status, with its {@code Retry-After}, so that the edge and the routes treat them
 * as they treat gRPC's. No answer in time is {@code DEADLINE_EXCEEDED}, no connection
 * {@code UNAVAILABLE}.
 *
 * <p>
 * A REST client cannot take a timeout per call: each attempt waits at most its edge's
 * timeout ({@code switchboard.edges.order-create.timeout} to place an order,
 * {@code switchboard.edges.order.timeout} to read), not what is left of the caller's
 * deadline, and the order service is not told when the gateway stops waiting.
 */
@Component
@ConditionalOnProperty(name = "switchboard.transports.order", havingValue = "rest")
class RestOrderCalls implements OrderCalls {

	private final RestClient creating;

	private final RestClient reading;

	RestOrderCalls(@Value("${switchboard.services.order.url}") String url,
			@Value("${switchboard.edges.order-create.timeout:5s}") Duration createTimeout,
			@Value("${switchboard.edges.order.timeout:2s}") Duration readTimeout, InternalHttp http,
			ServiceCredential credential, RestClient.Builder builder) {
		this.creating = client(builder.clone(), url, http, credential, createTimeout);
		this.reading = client(builder.clone(), url, http, credential, readTimeout);
	}

	/**
	 * From Spring Boot's builder, whose observation makes each call a span of the
	 * caller's trace and sends its context ({@code traceparent}) along.
	 */
	private static RestClient client(RestClient.Builder builder, String url, InternalHttp http,
			ServiceCredential credential, Duration timeout) {
		// Tolerant of fields a newer order service adds.
		ProtobufJsonFormatHttpMessageConverter json = new ProtobufJsonFormatHttpMessageConverter(
				JsonFormat.parser().ignoringUnknownFields(), JsonFormat.printer().omittingInsignificantWhitespace());
		return builder.baseUrl(url)
			.requestFactory(http.requestsTo("order", timeout, timeout))
			.configureMessageConverters((converters) -> converters.registerDefaults().addCustomConverter(json))
			.defaultHeaders((headers) -> {
				headers.setAccept(List.of(MediaType.APPLICATION_JSON));
				if (credential.present()) {
					headers.set(ServiceCredential.HEADER, credential.value());
				}
			})
			.build();
	}

	@Override
	public CreateOrderResponse createOrder(Jwt caller, CreateOrderRequest request, Duration deadline) {
		return call(() -> this.creating.post()
			.uri("/orders")
			.header(HttpHeaders.AUTHORIZATION, bearer(caller))
			.contentType(MediaType.APPLICATION_JSON)
			.body(request)
			.retrieve()
			.body(CreateOrderResponse.class));
	}

	@Override
	public Order getOrder(Jwt caller, GetOrderRequest request, Duration deadline) {
		return read(caller, (uri) -> uri.path("/orders/{orderId}").build(request.getOrderId()), Order.class);
	}

	@Override
	public Saga getSaga(Jwt caller, GetOrderRequest request, Duration deadline) {
		return read(caller, (uri) -> uri.path("/orders/{orderId}/saga").build(request.getOrderId()), Saga.class);
	}

	@Override
	public ListOrdersResponse listOrders(Jwt caller, ListOrdersRequest request, Duration deadline) {
		return read(caller,
				(uri) -> uri.path("/orders").queryParam("orderId", request.getOrderIdsList().toArray()).build(),
				ListOrdersResponse.class);
	}

	@Override
	public ListSagasResponse listSagas(Jwt caller, ListOrdersRequest request, Duration deadline) {
		return read(caller,
				(uri) -> uri.path("/sagas").queryParam("orderId", request.getOrderIdsList().toArray()).build(),
				ListSagasResponse.class);
	}

	private <T> T read(Jwt caller, Function<UriBuilder, URI> uri, Class<T> answer) {
		return call(() -> this.reading.get()
			.uri(uri)
			.header(HttpHeaders.AUTHORIZATION, bearer(caller))
			.retrieve()
			.body(answer));
	}

	private static String bearer(Jwt caller) {
		return "Bearer " + caller.getTokenValue();
	}

	private static <T> T call(Supplier<T> exchange) {
		T answer;
		try {
			answer = exchange.get();
		}
		catch (RestClientResponseException ex) {
			throw refusal(ex);
		}
		catch (ResourceAccessException ex) {
			boolean late = ex.getCause() instanceof SocketTimeoutException;
			throw (late ? Status.DEADLINE_EXCEEDED : Status.UNAVAILABLE).withDescription("order: " + ex.getMessage())
				.withCause(ex)
				.asRuntimeException();
		}
		catch (RestClientException ex) {
			throw Status.INTERNAL.withDescription("order: an answer that could not be read: " + ex.getMessage())
				.withCause(ex)
				.asRuntimeException();
		}
		if (answer == null) {
			throw Status.INTERNAL.withDescription("order: an answer without a body").asRuntimeException();
		}
		return answer;
	}

	/**
	 * The status the problem's {@code code} names; without one (a refusal not of the
	 * order service's API, such as the access policy's or a proxy's), the status its HTTP
	 * status usually stands for.
	 */
	static StatusRuntimeException refusal(RestClientResponseException ex) {
		Map<?, ?> problem = problemOf(ex);
		Status.Code code = null;
		if (problem != null && problem.get("code") instanceof String name) {
			try {
				code = Status.Code.valueOf(name);
			}
			catch (IllegalArgumentException unknown) {
				// Not a status name: by the HTTP status below.
			}
		}
		if (code == null) {
			code = codeOf(ex.getStatusCode());
		}
		String detail = (problem != null && problem.get("detail") instanceof String text) ? text
				: "order answered " + ex.getStatusCode().value();
		Metadata trailers = new Metadata();
		String retryAfter = (ex.getResponseHeaders() != null)
				? ex.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER) : null;
		if (retryAfter != null) {
			trailers.put(RetryAfter.TRAILER, retryAfter);
		}
		return code.toStatus().withDescription(detail).asRuntimeException(trailers);
	}

	private static Status.Code codeOf(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> Status.Code.INVALID_ARGUMENT;
			case 401 -> Status.Code.UNAUTHENTICATED;
			case 403 -> Status.Code.PERMISSION_DENIED;
			// The API's own 404 has a code: this route is not served.
			case 404 -> Status.Code.UNIMPLEMENTED;
			case 429 -> Status.Code.RESOURCE_EXHAUSTED;
			case 502, 503 -> Status.Code.UNAVAILABLE;
			case 504 -> Status.Code.DEADLINE_EXCEEDED;
			default -> Status.Code.INTERNAL;
		};
	}

	private static Map<?, ?> problemOf(RestClientResponseException ex) {
		try {
			return ex.getResponseBodyAs(Map.class);
		}
		catch (RuntimeException unreadable) {
			return null;
		}
	}

}
