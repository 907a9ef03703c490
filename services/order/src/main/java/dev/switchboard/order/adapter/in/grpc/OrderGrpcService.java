package dev.switchboard.order.adapter.in.grpc;

import java.util.List;
import java.util.Optional;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.BulkUpdateSummary;
import dev.switchboard.contracts.order.v1.OrderChange;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.ListOrdersRequest;
import dev.switchboard.contracts.order.v1.ListOrdersResponse;
import dev.switchboard.contracts.order.v1.ListSagasResponse;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.OrderUpdate;
import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.contracts.order.v1.StreamOrderUpdatesRequest;
import dev.switchboard.order.application.port.in.FindOrderUseCase;
import dev.switchboard.order.application.port.in.FindSagaUseCase;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase;
import dev.switchboard.order.application.port.in.UpdateOrdersUseCase;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase.PlacedOrder;
import dev.switchboard.order.domain.saga.SagaRecord;
import dev.switchboard.order.domain.PlaceOrderCommand;
import dev.switchboard.order.domain.ShippingAddress;

import org.springframework.stereotype.Service;

/**
 * The order service's API. Every call is on behalf of a verified caller
 * ({@link Callers}); an order that is not the caller's is answered as not found, like one
 * that does not exist, so that ids tell nothing about others' orders.
 */
@Service
class OrderGrpcService extends OrderServiceGrpc.OrderServiceImplBase {

	/** Order ids one list call may ask for. */
	static final int MAX_IDS = 100;

	private final PlaceOrderUseCase placeOrder;

	private final FindOrderUseCase findOrder;

	private final FindSagaUseCase findSaga;

	private final OrderUpdateStreams updates;

	private final UpdateOrdersUseCase updateOrders;

	OrderGrpcService(PlaceOrderUseCase placeOrder, FindOrderUseCase findOrder, FindSagaUseCase findSaga,
			OrderUpdateStreams updates, UpdateOrdersUseCase updateOrders) {
		this.placeOrder = placeOrder;
		this.findOrder = findOrder;
		this.findSaga = findSaga;
		this.updates = updates;
		this.updateOrders = updateOrders;
	}

	@Override
	public StreamObserver<OrderChange> bulkUpdateOrders(StreamObserver<BulkUpdateSummary> response) {
		return new BulkOrderUpdates(this.updateOrders, Callers.subject(), response);
	}

	@Override
	public void streamOrderUpdates(StreamOrderUpdatesRequest request, StreamObserver<OrderUpdate> responses) {
		String caller = Callers.subject();
		if (request.getAfterSeq() < 0) {
			responses.onError(Status.INVALID_ARGUMENT
				.withDescription("after_seq must not be negative, was " + request.getAfterSeq())
				.asRuntimeException());
			return;
		}
		Optional<String> orderId = request.getOrderId().isEmpty() ? Optional.empty()
				: Optional.of(request.getOrderId());
		if (orderId.isPresent() && this.findOrder.find(orderId.get(), caller).isEmpty()) {
			responses.onError(Status.NOT_FOUND.withDescription("no order " + orderId.get()).asRuntimeException());
			return;
		}
		this.updates.open(caller, orderId, request.getAfterSeq(), (ServerCallStreamObserver<OrderUpdate>) responses);
	}

	/** What placing fails with is answered by {@link OrderGrpcErrors}. */
	@Override
	public void createOrder(CreateOrderRequest request, StreamObserver<CreateOrderResponse> response) {
		PlacedOrder placed = this.placeOrder.place(toCommand(request, Callers.subject()),
				Context.current()::isCancelled);
		response.onNext(CreateOrderResponse.newBuilder()
			.setOrder(OrderMessages.toProto(placed.order()))
			.setReplayed(placed.replayed())
			.build());
		response.onCompleted();
	}

	@Override
	public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
		Optional<dev.switchboard.order.domain.Order> order = this.findOrder.find(request.getOrderId(),
				Callers.subject());
		if (order.isEmpty()) {
			response.onError(Status.NOT_FOUND.withDescription("no order " + request.getOrderId()).asRuntimeException());
			return;
		}
		response.onNext(OrderMessages.toProto(order.get()));
		response.onCompleted();
	}

	@Override
	public void getSaga(GetOrderRequest request, StreamObserver<Saga> response) {
		Optional<SagaRecord> saga = this.findOrder.find(request.getOrderId(), Callers.subject()).isPresent()
				? this.findSaga.findSaga(request.getOrderId()) : Optional.empty();
		if (saga.isEmpty()) {
			response.onError(Status.NOT_FOUND.withDescription("no order " + request.getOrderId()).asRuntimeException());
			return;
		}
		response.onNext(SagaMessages.toProto(saga.get()));
		response.onCompleted();
	}

	/** Answers the caller's orders of the ids asked (others left out, as not found). */
	@Override
	public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> response) {
		if (tooMany(request, response)) {
			return;
		}
		ListOrdersResponse.Builder answer = ListOrdersResponse.newBuilder();
		this.findOrder.findAll(request.getOrderIdsList(), Callers.subject())
			.forEach((order) -> answer.addOrders(OrderMessages.toProto(order)));
		response.onNext(answer.build());
		response.onCompleted();
	}

	/** Answers the sagas of the caller's orders of the ids asked. */
	@Override
	public void listSagas(ListOrdersRequest request, StreamObserver<ListSagasResponse> response) {
		if (tooMany(request, response)) {
			return;
		}
		List<String> theirs = this.findOrder.findAll(request.getOrderIdsList(), Callers.subject())
			.stream()
			.map(dev.switchboard.order.domain.Order::id)
			.toList();
		ListSagasResponse.Builder answer = ListSagasResponse.newBuilder();
		this.findSaga.findSagas(theirs).forEach((saga) -> answer.addSagas(SagaMessages.toProto(saga)));
		response.onNext(answer.build());
		response.onCompleted();
	}

	private static boolean tooMany(ListOrdersRequest request, StreamObserver<?> response) {
		if (request.getOrderIdsCount() <= MAX_IDS) {
			return false;
		}
		response.onError(Status.INVALID_ARGUMENT
			.withDescription("at most " + MAX_IDS + " order ids at once, were " + request.getOrderIdsCount())
			.asRuntimeException());
		return true;
	}

	/**
	 * The order is the caller's: its customer is the token's subject, whatever the
	 * request's {@code customer_id} says.
	 */
	private static PlaceOrderCommand toCommand(CreateOrderRequest request, String caller) {
		Address a = request.getShippingAddress();
		return new PlaceOrderCommand(Optional.of(request.getIdempotencyKey()), caller,
				request.getLinesList()
					.stream()
					.map((l) -> new PlaceOrderCommand.Item(l.getSku(), l.getQuantity()))
					.toList(),
				request.getPaymentToken(), request.hasShippingAddress()
						? new ShippingAddress(a.getCountry(), a.getCity(), a.getLine1(), a.getPostalCode()) : null);
	}

}
