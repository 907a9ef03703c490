package dev.switchboard.gateway.orders;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.gateway.web.GrpcErrors;
import dev.switchboard.gateway.web.UpstreamException;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Placing an order, as REST ({@code POST /api/{version}/orders}) and GraphQL
 * ({@code placeOrder}) both do it: the same idempotency rules, the same retries (only
 * under a key) and the same meaning of every refusal.
 */
@Component
class OrderPlacing {

	/** What the order service's codes mean when creating an order. */
	private static final Map<Status.Code, HttpStatus> CREATE_ERRORS = Map.of(Status.Code.INVALID_ARGUMENT,
			HttpStatus.BAD_REQUEST, Status.Code.NOT_FOUND, HttpStatus.UNPROCESSABLE_CONTENT,
			Status.Code.FAILED_PRECONDITION, HttpStatus.CONFLICT, Status.Code.ALREADY_EXISTS,
			HttpStatus.UNPROCESSABLE_CONTENT);

	/** Visible ASCII, so that a key reads the same in every log, header and database. */
	private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

	private final OrderCalls orders;

	private final Edge creating;

	OrderPlacing(OrderCalls orders, Edges edges) {
		this.orders = orders;
		this.creating = edges.edge("order-create");
	}

	/**
	 * Places the order for the token's holder; what the order service refuses, or a
	 * deadline passed, is an {@link UpstreamException} saying what it means to the
	 * client.
	 */
	CreateOrderResponse place(Jwt caller, String idempotencyKey, CreateOrderBody body) {
		if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
			throw new UpstreamException(HttpStatus.BAD_REQUEST, "Bad Request",
					"Idempotency-Key must be 1 to 255 visible ASCII characters");
		}
		CreateOrderRequest.Builder request = CreateOrderRequest.newBuilder()
			.setCustomerId(caller.getSubject())
			.setPaymentToken(body.paymentToken())
			.setShippingAddress(Address.newBuilder()
				.setCountry(body.shippingAddress().country())
				.setCity(body.shippingAddress().city())
				.setLine1(body.shippingAddress().line1())
				.setPostalCode(body.shippingAddress().postalCode()));
		if (idempotencyKey != null) {
			request.setIdempotencyKey(idempotencyKey);
		}
		body.items().forEach((i) -> request.addLines(OrderLine.newBuilder().setSku(i.sku()).setQuantity(i.quantity())));
		CreateOrderResponse response;
		try {
			// Retried only under an Idempotency-Key: without one a retry could place a
			// second order when the first attempt's answer was lost.
			response = this.creating.call(idempotencyKey != null,
					(deadline) -> this.orders.createOrder(caller, request.build(), deadline));
		}
		catch (StatusRuntimeException ex) {
			if (ex.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
				throw outcomeUnknown(idempotencyKey != null);
			}
			throw GrpcErrors.translate(ex, CREATE_ERRORS);
		}
		return response;
	}

	/**
	 * No answer in time: the order service may have stored the order just as the deadline
	 * passed, so unlike a 503 (nothing was done) this answer cannot say "not placed". A
	 * 504 tells the client to find out rather than to assume either way.
	 */
	private static UpstreamException outcomeUnknown(boolean keyed) {
		String detail = "the order service did not answer in time; the order may have been placed. "
				+ (keyed ? "Send the same request with the same Idempotency-Key again to learn its outcome"
						: "Send requests with an Idempotency-Key to be able to retry them safely");
		return new UpstreamException(HttpStatus.GATEWAY_TIMEOUT, "Gateway Timeout", detail, Duration.ofSeconds(1));
	}

}
