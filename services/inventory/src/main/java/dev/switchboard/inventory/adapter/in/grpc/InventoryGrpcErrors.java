package dev.switchboard.inventory.adapter.in.grpc;

import io.grpc.Status;
import io.grpc.StatusException;

import dev.switchboard.inventory.domain.AllocationRefusedException;
import dev.switchboard.inventory.domain.InsufficientStockException;
import dev.switchboard.inventory.domain.InvalidReservationException;
import dev.switchboard.inventory.domain.ReservationConflictException;
import dev.switchboard.inventory.domain.ReservationReleasedException;
import dev.switchboard.inventory.domain.UnknownSkuException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.stereotype.Component;

/**
 * Inventory's answer, as a gRPC status, to each refusal its use cases throw: one table
 * for every method of its API. Anything else is an outage (UNAVAILABLE, for want of the
 * database) or a bug (INTERNAL), answered by the platform: both count as failures for the
 * caller's breaker, never as a business answer.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class InventoryGrpcErrors implements GrpcExceptionHandler {

	@Override
	public StatusException handleException(Throwable failure) {
		Status status = switch (failure) {
			case UnknownSkuException ex -> Status.NOT_FOUND;
			case InsufficientStockException ex -> Status.FAILED_PRECONDITION;
			case AllocationRefusedException ex -> Status.FAILED_PRECONDITION;
			case ReservationConflictException ex -> Status.ALREADY_EXISTS;
			case ReservationReleasedException ex -> Status.ABORTED;
			case InvalidReservationException ex -> Status.INVALID_ARGUMENT;
			default -> null;
		};
		return (status != null) ? status.withDescription(failure.getMessage()).asException() : null;
	}

}
