package dev.switchboard.gateway.orders;

import java.time.Duration;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.ListOrdersRequest;
import dev.switchboard.contracts.order.v1.ListOrdersResponse;
import dev.switchboard.contracts.order.v1.ListSagasResponse;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.Saga;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * The order service's unary calls over gRPC (channel {@code order}), the caller's token
 * in the call's {@code authorization} metadata, the deadline the call's.
 */
@Component
@ConditionalOnProperty(name = "switchboard.transports.order", havingValue = "grpc", matchIfMissing = true)
class GrpcOrderCalls implements OrderCalls {

	private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
			Metadata.ASCII_STRING_MARSHALLER);

	private final OrderServiceGrpc.OrderServiceBlockingStub orders;

	GrpcOrderCalls(OrderServiceGrpc.OrderServiceBlockingStub orders) {
		this.orders = orders;
	}

	@Override
	public CreateOrderResponse createOrder(Jwt caller, CreateOrderRequest request, Duration deadline) {
		return as(this.orders, caller).withDeadlineAfter(deadline).createOrder(request);
	}

	@Override
	public Order getOrder(Jwt caller, GetOrderRequest request, Duration deadline) {
		return as(this.orders, caller).withDeadlineAfter(deadline).getOrder(request);
	}

	@Override
	public Saga getSaga(Jwt caller, GetOrderRequest request, Duration deadline) {
		return as(this.orders, caller).withDeadlineAfter(deadline).getSaga(request);
	}

	@Override
	public ListOrdersResponse listOrders(Jwt caller, ListOrdersRequest request, Duration deadline) {
		return as(this.orders, caller).withDeadlineAfter(deadline).listOrders(request);
	}

	@Override
	public ListSagasResponse listSagas(Jwt caller, ListOrdersRequest request, Duration deadline) {
		return as(this.orders, caller).withDeadlineAfter(deadline).listSagas(request);
	}

	/** {@code stub}, called on behalf of the token's holder. */
	static <S extends io.grpc.stub.AbstractStub<S>> S as(S stub, Jwt caller) {
		Metadata headers = new Metadata();
		headers.put(AUTHORIZATION, "Bearer " + caller.getTokenValue());
		return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
	}

}
