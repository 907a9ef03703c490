package dev.switchboard.inventory.adapter.in.grpc;

import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.inventory.v1.CheckAndReserveRequest;
import dev.switchboard.contracts.inventory.v1.Line;
import dev.switchboard.contracts.inventory.v1.Reservation;
import dev.switchboard.inventory.application.port.in.ReserveStockUseCase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which failures the gRPC adapter answers as business refusals: only the domain's typed
 * ones. A bug is not one (an IllegalStateException used to come back as
 * FAILED_PRECONDITION, an answer the caller's breaker counts as healthy and the order
 * service took for "out of stock").
 */
class InventoryGrpcServiceTest {

	private static final CheckAndReserveRequest REQUEST = CheckAndReserveRequest.newBuilder()
		.setOrderId("o-1")
		.addLines(Line.newBuilder().setSku("SKU-0001").setQuantity(1))
		.build();

	private final AtomicReference<Throwable> answer = new AtomicReference<>();

	private final StreamObserver<Reservation> observer = new StreamObserver<>() {

		@Override
		public void onNext(Reservation value) {
		}

		@Override
		public void onError(Throwable t) {
			InventoryGrpcServiceTest.this.answer.set(t);
		}

		@Override
		public void onCompleted() {
		}

	};

	@Test
	void aRequestNoStockCouldServeIsAnInvalidArgument() {
		service((request) -> {
			throw new AssertionError("not reached: the request is refused before");
		}).checkAndReserve(REQUEST.toBuilder().setLines(0, Line.newBuilder().setSku("SKU-0001").setQuantity(0)).build(),
				this.observer);

		assertThat(((StatusRuntimeException) this.answer.get()).getStatus().getCode())
			.isEqualTo(Status.Code.INVALID_ARGUMENT);
	}

	@Test
	void aBugIsNotABusinessRefusal() {
		InventoryGrpcService service = service((request) -> {
			throw new IllegalStateException("a bug");
		});

		assertThatIllegalStateException().isThrownBy(() -> service.checkAndReserve(REQUEST, this.observer));
		assertThat(this.answer.get()).as("no FAILED_PRECONDITION for a bug").isNull();
	}

	private static InventoryGrpcService service(ReserveStockUseCase reserve) {
		return new InventoryGrpcService(reserve, null, null, null);
	}

}
