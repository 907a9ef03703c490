package dev.switchboard.gateway.orders;

import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;

import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.Order;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Orders, each its caller's own: the token's subject is the order's customer (a
 * {@code customerId} in the body is ignored), and the token itself goes with every call
 * to the order service, which verifies it and answers another subject's order as not
 * found.
 */
@Tag(name = "orders", description = "The caller's orders")
@RestController
class OrdersController {

	private final OrderReads reads;

	private final OrderPlacing placing;

	OrdersController(OrderReads reads, OrderPlacing placing) {
		this.reads = reads;
		this.placing = placing;
	}

	@PostMapping(path = "/api/{version}/orders", version = "v1", consumes = MediaType.APPLICATION_JSON_VALUE)
	@PlacingAnOrder
	ResponseEntity<OrderView> create(@AuthenticationPrincipal Jwt caller,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
			@Valid @RequestBody CreateOrderBody body) {
		CreateOrderResponse response = this.placing.place(caller, idempotencyKey, body);
		return placed(response, "v1", OrderView.of(response.getOrder()));
	}

	@PostMapping(path = "/api/{version}/orders", version = "v2", consumes = MediaType.APPLICATION_JSON_VALUE)
	@PlacingAnOrder
	ResponseEntity<OrderViewV2> createV2(@AuthenticationPrincipal Jwt caller,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
			@Valid @RequestBody CreateOrderBody body) {
		CreateOrderResponse response = this.placing.place(caller, idempotencyKey, body);
		return placed(response, "v2", v2(response.getOrder()));
	}

	private static <T> ResponseEntity<T> placed(CreateOrderResponse response, String version, T view) {
		return ResponseEntity.created(URI.create("/api/" + version + "/orders/" + response.getOrder().getOrderId()))
			.header("Idempotent-Replayed", String.valueOf(response.getReplayed()))
			.body(view);
	}

	@GetMapping(path = "/api/{version}/orders/{orderId}", version = "v1")
	@ReadingAnOrder
	ResponseEntity<OrderView> get(@AuthenticationPrincipal Jwt caller, @PathVariable String orderId) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache().cachePrivate())
			.body(OrderView.of(this.reads.order(caller, orderId)));
	}

	@GetMapping(path = "/api/{version}/orders/{orderId}", version = "v2")
	@ReadingAnOrder
	ResponseEntity<OrderViewV2> getV2(@AuthenticationPrincipal Jwt caller, @PathVariable String orderId) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache().cachePrivate())
			.body(v2(this.reads.order(caller, orderId)));
	}

	/** The order in v2's form, its lines named from the catalogue. */
	private OrderViewV2 v2(Order order) {
		return OrderViewV2.of(order, this.reads.productNames(order));
	}

	@GetMapping({ "/api/v1/orders/{orderId}/saga", "/api/v2/orders/{orderId}/saga" })
	@Operation(summary = "An order's saga: its steps, compensations and history",
			security = @SecurityRequirement(name = "oauth2", scopes = "orders:read"))
	@ApiResponse(responseCode = "200", description = "The saga")
	@ApiResponse(responseCode = "404", description = "The caller has no order with this id")
	SagaView saga(@AuthenticationPrincipal Jwt caller, @PathVariable String orderId) {
		return SagaView.of(this.reads.saga(caller, orderId));
	}

	@GetMapping({ "/api/v1/orders/{orderId}/notifications", "/api/v2/orders/{orderId}/notifications" })
	@Operation(summary = "The emails sent about an order",
			security = @SecurityRequirement(name = "oauth2", scopes = "orders:read"))
	@ApiResponse(responseCode = "200", description = "The notifications, oldest first")
	@ApiResponse(responseCode = "404", description = "The caller has no order with this id")
	List<Map<String, Object>> notifications(@AuthenticationPrincipal Jwt caller, @PathVariable String orderId) {
		// The caller's order, or 404: only then are its notifications theirs to read.
		this.reads.order(caller, orderId);
		return this.reads.notifications(orderId);
	}

}
