package dev.switchboard.gateway.orders;

import java.time.Duration;

import io.grpc.StatusRuntimeException;

import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.ListOrdersRequest;
import dev.switchboard.contracts.order.v1.ListOrdersResponse;
import dev.switchboard.contracts.order.v1.ListSagasResponse;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.Saga;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The order service's unary calls, made on behalf of the token's holder: over gRPC (the
 * default) or over HTTP with the same messages as JSON, as
 * {@code switchboard.transports.order} says ({@code up --edge gateway-order=rest}). One
 * attempt each, within {@code deadline}; the caller's edge retries. Either way the
 * messages of {@code order/v1/order.proto}, and a refusal is a
 * {@link StatusRuntimeException} with the status the order service gave (over HTTP: its
 * problem's {@code code}), so that every route means the same by each answer. The streams
 * ({@code StreamOrderUpdates}) are gRPC's alone.
 */
interface OrderCalls {

	CreateOrderResponse createOrder(Jwt caller, CreateOrderRequest request, Duration deadline);

	Order getOrder(Jwt caller, GetOrderRequest request, Duration deadline);

	Saga getSaga(Jwt caller, GetOrderRequest request, Duration deadline);

	ListOrdersResponse listOrders(Jwt caller, ListOrdersRequest request, Duration deadline);

	ListSagasResponse listSagas(Jwt caller, ListOrdersRequest request, Duration deadline);

}
