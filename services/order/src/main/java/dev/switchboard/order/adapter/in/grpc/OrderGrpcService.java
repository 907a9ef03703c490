package dev.switchboard.order.adapter.in.grpc;

import java.time.Duration;
import java.util.Optional;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.order.application.port.in.FindOrderUseCase;
import dev.switchboard.order.application.port.in.FindSagaUseCase;
import dev.switchboard.order.application.port.in.OverloadedException;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase.CallerGoneException;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase.PlacedOrder;
import dev.switchboard.order.domain.InventoryUnavailableException;
import dev.switchboard.order.domain.saga.SagaRecord;
import dev.switchboard.order.domain.IdempotencyKeyReusedException;
import dev.switchboard.order.domain.InvalidOrderException;
import dev.switchboard.order.domain.OutOfStockException;
import dev.switchboard.order.domain.PlaceOrderCommand;
import dev.switchboard.order.domain.ShippingAddress;
import dev.switchboard.order.domain.UnknownSkuException;

import dev.switchboard.platform.messaging.InfrastructureFailures;
import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.stereotype.Service;

@Service
class OrderGrpcService extends OrderServiceGrpc.OrderServiceImplBase {

	private static final Logger log = LoggerFactory.getLogger(OrderGrpcService.class);

	/**
	 * When to try again after the database was away: long enough for a restart to be
	 * likely done.
	 */
	private static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(2);

	private final PlaceOrderUseCase placeOrder;

	private final FindOrderUseCase findOrder;

	private final FindSagaUseCase findSaga;

	OrderGrpcService(PlaceOrderUseCase placeOrder, FindOrderUseCase findOrder, FindSagaUseCase findSaga) {
		this.placeOrder = placeOrder;
		this.findOrder = findOrder;
		this.findSaga = findSaga;
	}

	@Override
	public void createOrder(CreateOrderRequest request, StreamObserver<CreateOrderResponse> response) {
		PlacedOrder placed;
		try {
			Context call = Context.current();
			placed = this.placeOrder.place(toCommand(request), call::isCancelled);
		}
		catch (InvalidOrderException ex) {
			response.onError(Status.INVALID_ARGUMENT.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		catch (UnknownSkuException ex) {
			response.onError(Status.NOT_FOUND.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		catch (OutOfStockException ex) {
			response.onError(Status.FAILED_PRECONDITION.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		catch (IdempotencyKeyReusedException ex) {
			response.onError(Status.ALREADY_EXISTS.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		catch (CallerGoneException ex) {
			response.onError(Status.CANCELLED.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		catch (OverloadedException ex) {
			response.onError(Status.RESOURCE_EXHAUSTED.withDescription(ex.getMessage())
				.asRuntimeException(RetryAfter.trailers(ex.retryAfter())));
			return;
		}
		catch (InventoryUnavailableException ex) {
			response.onError(Status.UNAVAILABLE.withDescription(ex.getMessage())
				.asRuntimeException(RetryAfter.trailers(ex.retryAfter())));
			return;
		}
		catch (RuntimeException ex) {
			if (InfrastructureFailures.isInfrastructure(ex)) {
				// The database is away (down, restarting, unreachable): a moment's
				// problem, not the order's, and nothing was stored unless the failure
				// came at the commit itself, which a retry under the same Idempotency-Key
				// settles either way.
				log.warn("Creating an order failed for want of the database: {}", ex.toString());
				response.onError(Status.UNAVAILABLE
					.withDescription("the order database is unavailable; try again with the same Idempotency-Key")
					.asRuntimeException(RetryAfter.trailers(DATABASE_RETRY_AFTER)));
				return;
			}
			log.error("Creating an order failed", ex);
			response.onError(Status.INTERNAL.withDescription("order could not be stored").asRuntimeException());
			return;
		}
		response.onNext(CreateOrderResponse.newBuilder()
			.setOrder(OrderMessages.toProto(placed.order()))
			.setReplayed(placed.replayed())
			.build());
		response.onCompleted();
	}

	@Override
	public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
		Optional<dev.switchboard.order.domain.Order> order = this.findOrder.find(request.getOrderId());
		if (order.isEmpty()) {
			response.onError(Status.NOT_FOUND.withDescription("no order " + request.getOrderId()).asRuntimeException());
			return;
		}
		response.onNext(OrderMessages.toProto(order.get()));
		response.onCompleted();
	}

	@Override
	public void getSaga(GetOrderRequest request, StreamObserver<Saga> response) {
		Optional<SagaRecord> saga = this.findSaga.findSaga(request.getOrderId());
		if (saga.isEmpty()) {
			response.onError(Status.NOT_FOUND.withDescription("no order " + request.getOrderId()).asRuntimeException());
			return;
		}
		response.onNext(SagaMessages.toProto(saga.get()));
		response.onCompleted();
	}

	private static PlaceOrderCommand toCommand(CreateOrderRequest request) {
		Address a = request.getShippingAddress();
		return new PlaceOrderCommand(Optional.of(request.getIdempotencyKey()), request.getCustomerId(),
				request.getLinesList()
					.stream()
					.map((l) -> new PlaceOrderCommand.Item(l.getSku(), l.getQuantity()))
					.toList(),
				request.getPaymentToken(), request.hasShippingAddress()
						? new ShippingAddress(a.getCountry(), a.getCity(), a.getLine1(), a.getPostalCode()) : null);
	}

}
