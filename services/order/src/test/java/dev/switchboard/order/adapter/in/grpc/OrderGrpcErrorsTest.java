package dev.switchboard.order.adapter.in.grpc;

import java.time.Duration;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import dev.switchboard.order.application.port.in.OverloadedException;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase.CallerGoneException;
import dev.switchboard.order.domain.IdempotencyKeyReusedException;
import dev.switchboard.order.domain.InvalidOrderException;
import dev.switchboard.order.domain.InventoryUnavailableException;
import dev.switchboard.order.domain.OutOfStockException;
import dev.switchboard.order.domain.UnknownSkuException;
import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The order service's table of gRPC answers to what its use cases throw. */
class OrderGrpcErrorsTest {

	private final OrderGrpcErrors errors = new OrderGrpcErrors();

	@Test
	void eachRefusalHasItsStatusAndSaysWhy() {
		assertThat(code(new InvalidOrderException("bad"))).isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(code(new UnknownSkuException("no SKU-9"))).isEqualTo(Status.Code.NOT_FOUND);
		assertThat(code(new OutOfStockException("gone"))).isEqualTo(Status.Code.FAILED_PRECONDITION);
		assertThat(code(new IdempotencyKeyReusedException("again"))).isEqualTo(Status.Code.ALREADY_EXISTS);
		assertThat(code(new CallerGoneException("left"))).isEqualTo(Status.Code.CANCELLED);
		assertThat(
				this.errors.handleException(new OutOfStockException("SKU-0001: 2 left")).getStatus().getDescription())
			.isEqualTo("SKU-0001: 2 left");
	}

	@Test
	void overloadAndAnInventoryAwayTellWhenToTryAgain() {
		StatusException overloaded = this.errors
			.handleException(new OverloadedException("full", Duration.ofSeconds(3)));
		StatusException inventoryAway = this.errors
			.handleException(new InventoryUnavailableException("away", Duration.ofSeconds(1), null));

		assertThat(overloaded.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
		assertThat(retryAfter(overloaded)).isEqualTo(Duration.ofSeconds(3));
		assertThat(inventoryAway.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(retryAfter(inventoryAway)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aDatabaseAwayIsUnavailableWithARetryAfterNotAnInternalError() {
		StatusException answer = this.errors.handleException(new CannotGetJdbcConnectionException(
				"Failed to obtain JDBC Connection", new java.sql.SQLException("Connection refused", "08001")));

		assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(answer.getStatus().getDescription()).contains("same Idempotency-Key");
		assertThat(retryAfter(answer)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void aBugIsLeftToThePlatformWhichAnswersInternal() {
		assertThat(this.errors.handleException(new DataIntegrityViolationException("a bug"))).isNull();
	}

	private Status.Code code(RuntimeException refusal) {
		return this.errors.handleException(refusal).getStatus().getCode();
	}

	private static Duration retryAfter(StatusException answer) {
		return RetryAfter.of(new StatusRuntimeException(answer.getStatus(), answer.getTrailers())).orElseThrow();
	}

}
