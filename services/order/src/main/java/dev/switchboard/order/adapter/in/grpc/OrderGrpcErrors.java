package dev.switchboard.order.adapter.in.grpc;

import java.time.Duration;

import io.grpc.Status;
import io.grpc.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.order.application.port.in.OverloadedException;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase.CallerGoneException;
import dev.switchboard.order.domain.IdempotencyKeyReusedException;
import dev.switchboard.order.domain.InvalidOrderException;
import dev.switchboard.order.domain.InventoryUnavailableException;
import dev.switchboard.order.domain.OutOfStockException;
import dev.switchboard.order.domain.UnknownSkuException;
import dev.switchboard.platform.messaging.InfrastructureFailures;
import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.stereotype.Component;

/**
 * The order service's answer, as a gRPC status, to each refusal its use cases throw: one
 * table for every method of its API. What it does not know (a bug) it leaves to the
 * platform's handler, which logs it and answers INTERNAL.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderGrpcErrors implements GrpcExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(OrderGrpcErrors.class);

	/**
	 * When to try again after the database was away: long enough for a restart to be
	 * likely done.
	 */
	static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(2);

	@Override
	public StatusException handleException(Throwable failure) {
		return switch (failure) {
			case InvalidOrderException ex -> status(Status.INVALID_ARGUMENT, ex);
			case UnknownSkuException ex -> status(Status.NOT_FOUND, ex);
			case OutOfStockException ex -> status(Status.FAILED_PRECONDITION, ex);
			case IdempotencyKeyReusedException ex -> status(Status.ALREADY_EXISTS, ex);
			case CallerGoneException ex -> status(Status.CANCELLED, ex);
			case OverloadedException ex -> Status.RESOURCE_EXHAUSTED.withDescription(ex.getMessage())
				.asException(RetryAfter.trailers(ex.retryAfter()));
			case InventoryUnavailableException ex ->
				Status.UNAVAILABLE.withDescription(ex.getMessage()).asException(RetryAfter.trailers(ex.retryAfter()));
			default -> InfrastructureFailures.isInfrastructure(failure) ? databaseAway(failure) : null;
		};
	}

	private static StatusException status(Status status, Throwable refusal) {
		return status.withDescription(refusal.getMessage()).asException();
	}

	/**
	 * The database is away (down, restarting, unreachable): a moment's problem, not the
	 * order's, and nothing was stored unless the failure came at the commit itself, which
	 * a retry under the same Idempotency-Key settles either way.
	 */
	private static StatusException databaseAway(Throwable failure) {
		log.warn("A call failed for want of the database: {}", failure.toString());
		return Status.UNAVAILABLE
			.withDescription("the order database is unavailable; try again with the same Idempotency-Key")
			.asException(RetryAfter.trailers(DATABASE_RETRY_AFTER));
	}

}
