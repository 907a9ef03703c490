package dev.switchboard.inventory.adapter.in.grpc;

import java.time.Instant;
import java.util.function.Supplier;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import dev.switchboard.contracts.inventory.v1.AllocateRequest;
import dev.switchboard.contracts.inventory.v1.CheckAndReserveRequest;
import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.ListProductsRequest;
import dev.switchboard.contracts.inventory.v1.ListProductsResponse;
import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.contracts.inventory.v1.ProductChange;
import dev.switchboard.contracts.inventory.v1.WatchProductsRequest;
import dev.switchboard.contracts.inventory.v1.ListReservedBeforeRequest;
import dev.switchboard.contracts.inventory.v1.ListReservedBeforeResponse;
import dev.switchboard.contracts.inventory.v1.ReleaseRequest;
import dev.switchboard.contracts.inventory.v1.ReservedBefore;
import dev.switchboard.contracts.inventory.v1.Reservation;
import dev.switchboard.contracts.inventory.v1.ReservationState;
import dev.switchboard.contracts.inventory.v1.ReservedLine;
import dev.switchboard.inventory.application.port.in.BrowseCatalogueUseCase;
import dev.switchboard.inventory.application.port.in.ListHeldReservationsUseCase;
import dev.switchboard.inventory.application.port.in.ReserveStockUseCase;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase;
import dev.switchboard.inventory.application.port.in.WatchProductsUseCase;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase.Settlement;
import dev.switchboard.inventory.domain.AllocationRefusedException;
import dev.switchboard.inventory.domain.ReservationRequest;
import dev.switchboard.inventory.domain.StockLine;
import dev.switchboard.inventory.domain.UnknownSkuException;

import org.springframework.stereotype.Service;

@Service
class InventoryGrpcService extends InventoryServiceGrpc.InventoryServiceImplBase {

	private final ReserveStockUseCase reserveStock;

	private final SettleReservationUseCase settleReservation;

	private final BrowseCatalogueUseCase catalogue;

	private final ListHeldReservationsUseCase heldReservations;

	private final WatchProductsUseCase watches;

	InventoryGrpcService(ReserveStockUseCase reserveStock, SettleReservationUseCase settleReservation,
			BrowseCatalogueUseCase catalogue, ListHeldReservationsUseCase heldReservations,
			WatchProductsUseCase watches) {
		this.reserveStock = reserveStock;
		this.settleReservation = settleReservation;
		this.catalogue = catalogue;
		this.heldReservations = heldReservations;
		this.watches = watches;
	}

	@Override
	public StreamObserver<WatchProductsRequest> watchProducts(StreamObserver<ProductChange> responses) {
		return new ProductWatchCall(this.watches, responses);
	}

	@Override
	public void listReservedBefore(ListReservedBeforeRequest request,
			StreamObserver<ListReservedBeforeResponse> response) {
		int limit = (request.getLimit() == 0) ? 100 : request.getLimit();
		if (limit < 1 || limit > 1000) {
			response.onError(Status.INVALID_ARGUMENT.withDescription("limit must be between 1 and 1000, was " + limit)
				.asRuntimeException());
			return;
		}
		respond(response, () -> {
			return ListReservedBeforeResponse.newBuilder()
				.addAllReservations(this.heldReservations
					.heldSince(Instant.ofEpochMilli(request.getReservedBeforeEpochMillis()), request.getAfterOrderId(),
							limit)
					.stream()
					.map((held) -> ReservedBefore.newBuilder()
						.setOrderId(held.orderId())
						.setAttemptId(held.attempt() == null ? "" : held.attempt())
						.setReservedAtEpochMillis(held.reservedAt().toEpochMilli())
						.build())
					.toList())
				.build();
		});
	}

	@Override
	public void listProducts(ListProductsRequest request, StreamObserver<ListProductsResponse> response) {
		respond(response,
				() -> ListProductsResponse.newBuilder()
					.addAllProducts(this.catalogue.products().stream().map(InventoryGrpcService::toProto).toList())
					.build());
	}

	@Override
	public void getProduct(GetProductRequest request, StreamObserver<Product> response) {
		respond(response,
				() -> this.catalogue.product(request.getSku())
					.map(InventoryGrpcService::toProto)
					.orElseThrow(() -> new UnknownSkuException(request.getSku())));
	}

	@Override
	public void checkAndReserve(CheckAndReserveRequest request, StreamObserver<Reservation> response) {
		respond(response,
				() -> toProto(this.reserveStock.reserve(new ReservationRequest(request.getOrderId(),
						request.getLinesList().stream().map((l) -> new StockLine(l.getSku(), l.getQuantity())).toList(),
						request.getAttemptId()))));
	}

	@Override
	public void release(ReleaseRequest request, StreamObserver<Reservation> response) {
		respond(response,
				() -> this.settleReservation.release(request.getOrderId(), request.getAttemptId())
					.reservation()
					.map(InventoryGrpcService::toProto)
					.orElseGet(() -> Reservation.newBuilder().setOrderId(request.getOrderId()).build()));
	}

	@Override
	public void allocate(AllocateRequest request, StreamObserver<Reservation> response) {
		respond(response, () -> {
			Settlement allocation = this.settleReservation.allocate(request.getOrderId());
			if (!allocation.succeeded()) {
				throw new AllocationRefusedException(allocation.refusal());
			}
			return allocation.reservation().map(InventoryGrpcService::toProto).orElseThrow();
		});
	}

	/** What the use cases refuse with is answered by {@link InventoryGrpcErrors}. */
	private static <T> void respond(StreamObserver<T> response, Supplier<T> call) {
		response.onNext(call.get());
		response.onCompleted();
	}

	private static Product toProto(dev.switchboard.inventory.domain.Product product) {
		return Product.newBuilder()
			.setSku(product.sku())
			.setName(product.name())
			.setPriceCents(product.priceCents())
			.setAvailable(product.available())
			.build();
	}

	private static Reservation toProto(dev.switchboard.inventory.domain.Reservation reservation) {
		return Reservation.newBuilder()
			.setOrderId(reservation.orderId())
			.setState(ReservationState.valueOf(reservation.state().name()))
			.addAllLines(reservation.lines()
				.stream()
				.map((l) -> ReservedLine.newBuilder()
					.setSku(l.sku())
					.setQuantity(l.quantity())
					.setUnitPriceCents(l.unitPriceCents())
					.build())
				.toList())
			.build();
	}

}
