package dev.switchboard.order.adapter.in.grpc;

import java.util.List;
import java.util.function.BiConsumer;

import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.ListOrdersRequest;
import dev.switchboard.contracts.order.v1.ListOrdersResponse;
import dev.switchboard.contracts.order.v1.ListSagasResponse;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.Saga;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The unary calls of the order service's API over HTTP and JSON, for a gateway whose
 * order edge is REST ({@code up --edge gateway-order=rest}). Like an HTTP/JSON
 * transcoding of {@code order/v1/order.proto}: the same messages in protobuf's canonical
 * JSON mapping, handled by the same {@link OrderGrpcService} under the same checks
 * ({@link Callers}: the customer's bearer token in {@code Authorization}, the method's
 * scope), refused with the same status codes, which {@link OrderHttpProblems} writes as
 * problem+json. Only the gateway may call these routes (the access policy).
 *
 * <ul>
 * <li>{@code POST /orders} {@code CreateOrderRequest} → {@code CreateOrderResponse}</li>
 * <li>{@code GET /orders/{orderId}} → {@code Order}</li>
 * <li>{@code GET /orders/{orderId}/saga} → {@code Saga}</li>
 * <li>{@code GET /orders?orderId=A&orderId=B} → {@code ListOrdersResponse}</li>
 * <li>{@code GET /sagas?orderId=A&orderId=B} → {@code ListSagasResponse}</li>
 * </ul>
 *
 * Unlike a gRPC call, a request carries no deadline: the order service cannot tell that
 * the gateway has stopped waiting, and finishes the work anyway.
 */
@RestController
class OrderHttpBinding {

	private final OrderGrpcService api;

	private final Callers callers;

	private final OrderGrpcErrors errors;

	OrderHttpBinding(OrderGrpcService api, Callers callers, OrderGrpcErrors errors) {
		this.api = api;
		this.callers = callers;
		this.errors = errors;
	}

	@PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	CreateOrderResponse create(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String caller,
			@RequestBody CreateOrderRequest request) throws StatusException {
		return unary(caller, OrderServiceGrpc.getCreateOrderMethod(), this.api::createOrder, request);
	}

	@GetMapping(path = "/orders/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
	Order order(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String caller,
			@PathVariable String orderId) throws StatusException {
		return unary(caller, OrderServiceGrpc.getGetOrderMethod(), this.api::getOrder,
				GetOrderRequest.newBuilder().setOrderId(orderId).build());
	}

	@GetMapping(path = "/orders/{orderId}/saga", produces = MediaType.APPLICATION_JSON_VALUE)
	Saga saga(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String caller,
			@PathVariable String orderId) throws StatusException {
		return unary(caller, OrderServiceGrpc.getGetSagaMethod(), this.api::getSaga,
				GetOrderRequest.newBuilder().setOrderId(orderId).build());
	}

	@GetMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
	ListOrdersResponse orders(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String caller,
			@RequestParam(name = "orderId", defaultValue = "") List<String> orderIds) throws StatusException {
		return unary(caller, OrderServiceGrpc.getListOrdersMethod(), this.api::listOrders, ids(orderIds));
	}

	@GetMapping(path = "/sagas", produces = MediaType.APPLICATION_JSON_VALUE)
	ListSagasResponse sagas(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String caller,
			@RequestParam(name = "orderId", defaultValue = "") List<String> orderIds) throws StatusException {
		return unary(caller, OrderServiceGrpc.getListSagasMethod(), this.api::listSagas, ids(orderIds));
	}

	private static ListOrdersRequest ids(List<String> orderIds) {
		return ListOrdersRequest.newBuilder()
			.addAllOrderIds(orderIds.stream().filter((id) -> !id.isEmpty()).toList())
			.build();
	}

	/**
	 * The method's answer as the caller verified for it: what the service answers with
	 * {@code onError}, and what it throws as the gRPC server would translate it, is a
	 * {@link StatusException}.
	 */
	private <Q, A> A unary(String authorization, MethodDescriptor<Q, A> method,
			BiConsumer<Q, StreamObserver<A>> handler, Q request) throws StatusException {
		String subject = this.callers.verify(authorization, method.getFullMethodName());
		Answer<A> answer = new Answer<>();
		try {
			Context.current().withValue(Callers.SUBJECT, subject).run(() -> handler.accept(request, answer));
		}
		catch (StatusRuntimeException ex) {
			throw ex.getStatus().asException(ex.getTrailers());
		}
		catch (RuntimeException ex) {
			StatusException refusal = this.errors.handleException(ex);
			if (refusal == null) {
				throw ex;
			}
			throw refusal;
		}
		return answer.value();
	}

	/** What a unary method answered: one value, or an error. */
	private static final class Answer<A> implements StreamObserver<A> {

		private A value;

		private Throwable error;

		@Override
		public void onNext(A value) {
			this.value = value;
		}

		@Override
		public void onError(Throwable error) {
			this.error = error;
		}

		@Override
		public void onCompleted() {
		}

		A value() throws StatusException {
			if (this.error instanceof StatusRuntimeException ex) {
				throw ex.getStatus().asException(ex.getTrailers());
			}
			if (this.error instanceof StatusException ex) {
				throw ex;
			}
			if (this.error != null || this.value == null) {
				throw io.grpc.Status.INTERNAL.withDescription("the call gave no answer")
					.withCause(this.error)
					.asException();
			}
			return this.value;
		}

	}

}
