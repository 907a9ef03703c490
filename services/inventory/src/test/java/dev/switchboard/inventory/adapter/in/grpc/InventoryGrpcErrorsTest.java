package dev.switchboard.inventory.adapter.in.grpc;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import dev.switchboard.inventory.domain.AllocationRefusedException;
import dev.switchboard.inventory.domain.InsufficientStockException;
import dev.switchboard.inventory.domain.InvalidReservationException;
import dev.switchboard.inventory.domain.ReservationConflictException;
import dev.switchboard.inventory.domain.ReservationReleasedException;
import dev.switchboard.inventory.domain.UnknownSkuException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures inventory answers as business refusals: only the domain's typed ones. A
 * bug is not one (an IllegalStateException once came back as FAILED_PRECONDITION, an
 * answer the caller's breaker counts as healthy and the order service took for "out of
 * stock"); the platform answers it INTERNAL.
 */
class InventoryGrpcErrorsTest {

	private final InventoryGrpcErrors errors = new InventoryGrpcErrors();

	@Test
	void eachRefusalHasItsStatusAndSaysWhy() {
		assertThat(code(new UnknownSkuException("SKU-9999"))).isEqualTo(Status.Code.NOT_FOUND);
		assertThat(code(new InsufficientStockException("SKU-0001", 3, 1))).isEqualTo(Status.Code.FAILED_PRECONDITION);
		assertThat(code(new AllocationRefusedException("no"))).isEqualTo(Status.Code.FAILED_PRECONDITION);
		assertThat(code(new ReservationConflictException("o-1"))).isEqualTo(Status.Code.ALREADY_EXISTS);
		assertThat(code(new ReservationReleasedException("o-1"))).isEqualTo(Status.Code.ABORTED);
		assertThat(code(new InvalidReservationException("quantity must be positive")))
			.isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(this.errors.handleException(new InsufficientStockException("SKU-0001", 3, 1))
			.getStatus()
			.getDescription()).contains("SKU-0001");
	}

	@Test
	void aBugIsNotABusinessRefusal() {
		assertThat(this.errors.handleException(new IllegalStateException("a bug"))).isNull();
		assertThat(this.errors.handleException(new IllegalArgumentException("a bug"))).isNull();
	}

	private Status.Code code(RuntimeException refusal) {
		return this.errors.handleException(refusal).getStatus().getCode();
	}

}
