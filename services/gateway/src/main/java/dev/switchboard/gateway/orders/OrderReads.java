package dev.switchboard.gateway.orders;

import java.util.List;
import java.util.Map;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.ListOrdersRequest;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.gateway.products.Catalogue;
import dev.switchboard.gateway.web.GrpcErrors;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * What the order routes and the order pages read: an order and its saga from the order
 * service on behalf of the token's holder (who gets 404 for another's order), its
 * notifications from the notification service, and the names of its products.
 */
@Component
class OrderReads {

	private static final Map<Status.Code, HttpStatus> READ_ERRORS = Map.of(Status.Code.NOT_FOUND, HttpStatus.NOT_FOUND);

	private static final Map<Status.Code, HttpStatus> LIST_ERRORS = Map.of(Status.Code.INVALID_ARGUMENT,
			HttpStatus.BAD_REQUEST);

	private final OrderServiceGrpc.OrderServiceBlockingStub orders;

	private final OrderCalls calls;

	private final RestClient notifications;

	private final Catalogue catalogue;

	private final RestClient shipping;

	private final RestClient payments;

	private final Edge reading;

	private final Edge notifying;

	private final Edge shipments;

	private final Edge paying;

	OrderReads(OrderServiceGrpc.OrderServiceBlockingStub orders, OrderCalls calls,
			@Qualifier("notificationClient") RestClient notifications, @Qualifier("shippingClient") RestClient shipping,
			@Qualifier("paymentClient") RestClient payments, Catalogue catalogue, Edges edges) {
		this.orders = orders;
		this.calls = calls;
		this.notifications = notifications;
		this.shipping = shipping;
		this.payments = payments;
		this.catalogue = catalogue;
		this.reading = edges.edge("order");
		this.notifying = edges.edge("notification");
		this.shipments = edges.edge("shipping");
		this.paying = edges.edge("payment");
	}

	/**
	 * The caller's orders of these ids (at most 100), in one call: those that are not the
	 * caller's, or do not exist, are left out.
	 */
	List<Order> orders(Jwt caller, List<String> orderIds) {
		ListOrdersRequest request = ListOrdersRequest.newBuilder().addAllOrderIds(orderIds).build();
		try {
			return this.reading.call(true, (deadline) -> this.calls.listOrders(caller, request, deadline))
				.getOrdersList();
		}
		catch (StatusRuntimeException ex) {
			throw GrpcErrors.translate(ex, LIST_ERRORS);
		}
	}

	/** The sagas of the caller's orders of these ids, in one call. */
	List<Saga> sagas(Jwt caller, List<String> orderIds) {
		ListOrdersRequest request = ListOrdersRequest.newBuilder().addAllOrderIds(orderIds).build();
		try {
			return this.reading.call(true, (deadline) -> this.calls.listSagas(caller, request, deadline))
				.getSagasList();
		}
		catch (StatusRuntimeException ex) {
			throw GrpcErrors.translate(ex, LIST_ERRORS);
		}
	}

	/**
	 * The emails sent about these orders, each order's oldest first, in one call. As with
	 * {@link #notifications(String)}: only for orders shown to be the caller's.
	 */
	List<Map<String, Object>> notifications(List<String> orderIds) {
		return several(this.notifying, this.notifications, "/notifications", orderIds);
	}

	/** The shipment decisions of these orders (those that have one), in one call. */
	List<Map<String, Object>> shipments(List<String> orderIds) {
		return several(this.shipments, this.shipping, "/shipments", orderIds);
	}

	/** The payments of these orders (those that have one), in one call. */
	List<Map<String, Object>> payments(List<String> orderIds) {
		return several(this.paying, this.payments, "/payments", orderIds);
	}

	private static List<Map<String, Object>> several(Edge edge, RestClient service, String path,
			List<String> orderIds) {
		if (orderIds.isEmpty()) {
			return List.of();
		}
		return edge.call(true,
				(deadline) -> service.get()
					.uri((uri) -> uri.path(path).queryParam("orderId", orderIds.toArray()).build())
					.retrieve()
					.body(new ParameterizedTypeReference<List<Map<String, Object>>>() {
					}));
	}

	/** The caller's order; 404 when it is not theirs or does not exist. */
	Order order(Jwt caller, String orderId) {
		try {
			return this.reading.call(true, (deadline) -> this.calls.getOrder(caller,
					GetOrderRequest.newBuilder().setOrderId(orderId).build(), deadline));
		}
		catch (StatusRuntimeException ex) {
			throw GrpcErrors.translate(ex, READ_ERRORS);
		}
	}

	/** The saga of the caller's order. */
	Saga saga(Jwt caller, String orderId) {
		try {
			return this.reading.call(true, (deadline) -> this.calls.getSaga(caller,
					GetOrderRequest.newBuilder().setOrderId(orderId).build(), deadline));
		}
		catch (StatusRuntimeException ex) {
			throw GrpcErrors.translate(ex, READ_ERRORS);
		}
	}

	/**
	 * The emails sent about an order, oldest first. The notification service does not
	 * know whose the order is: ask only about an order the caller was shown to own.
	 */
	List<Map<String, Object>> notifications(String orderId) {
		return this.notifying.call(true,
				(deadline) -> this.notifications.get()
					.uri("/orders/{orderId}/notifications", orderId)
					.retrieve()
					.body(new ParameterizedTypeReference<List<Map<String, Object>>>() {
					}));
	}

	/** The names of the order's products, by SKU (those known). */
	Map<String, String> productNames(Order order) {
		return productNames(order.getLinesList().stream().map(OrderLine::getSku).distinct().toList());
	}

	/** The names of these products, by SKU (those known). */
	Map<String, String> productNames(List<String> skus) {
		return this.catalogue.names(skus);
	}

	/**
	 * The order service over gRPC, called on behalf of the token's holder: for its
	 * streams, which only gRPC carries.
	 */
	OrderServiceGrpc.OrderServiceBlockingStub as(Jwt caller) {
		return GrpcOrderCalls.as(this.orders, caller);
	}

}
