package dev.switchboard.order.adapter.in.grpc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase;
import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the gRPC adapter answers a placement that failed for want of the database, or for a
 * bug.
 */
class OrderGrpcServiceTest {

	private static final CreateOrderRequest REQUEST = CreateOrderRequest.newBuilder()
		.setIdempotencyKey("key-1")
		.setCustomerId("c-1")
		.addLines(OrderLine.newBuilder().setSku("SKU-0001").setQuantity(1))
		.setPaymentToken("tok_visa")
		.setShippingAddress(
				Address.newBuilder().setCountry("US").setCity("Austin").setLine1("1 Main St").setPostalCode("78701"))
		.build();

	@Test
	void aDatabaseAwayIsUnavailableWithARetryAfterNotAnInternalError() {
		StatusRuntimeException answer = create((command, caller) -> {
			throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
					new java.sql.SQLException("Connection refused", "08001"));
		});

		assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(answer.getStatus().getDescription()).contains("same Idempotency-Key");
		assertThat(RetryAfter.of(answer)).contains(Duration.ofSeconds(2));
	}

	@Test
	void anyOtherFailureIsInternal() {
		StatusRuntimeException answer = create((command, caller) -> {
			throw new DataIntegrityViolationException("a bug");
		});

		assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
	}

	private static StatusRuntimeException create(PlaceOrderUseCase placeOrder) {
		AtomicReference<Throwable> error = new AtomicReference<>();
		new OrderGrpcService(placeOrder, null, null).createOrder(REQUEST, new StreamObserver<CreateOrderResponse>() {

			@Override
			public void onNext(CreateOrderResponse value) {
			}

			@Override
			public void onError(Throwable t) {
				error.set(t);
			}

			@Override
			public void onCompleted() {
			}

		});
		return (StatusRuntimeException) error.get();
	}

}
