package dev.switchboard.inventory.domain;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ReservationRequestTest {

	@Test
	void mergesLinesOfTheSameSkuAndSortsBySkuToAvoidDeadlocks() {
		ReservationRequest request = new ReservationRequest("o-1",
				List.of(new StockLine("SKU-0002", 1), new StockLine("SKU-0001", 2), new StockLine("SKU-0002", 3)));

		assertThat(request.lines()).containsExactly(new StockLine("SKU-0001", 2), new StockLine("SKU-0002", 4));
	}

	@Test
	void rejectsEmptyOrdersAndNonPositiveQuantities() {
		assertThatExceptionOfType(InvalidReservationException.class)
			.isThrownBy(() -> new ReservationRequest("o-1", List.of()));
		assertThatExceptionOfType(InvalidReservationException.class).isThrownBy(() -> new StockLine("SKU-0001", 0));
		assertThatExceptionOfType(InvalidReservationException.class).isThrownBy(() -> new StockLine(" ", 1));
		assertThatExceptionOfType(InvalidReservationException.class)
			.isThrownBy(() -> new ReservationRequest("", List.of(new StockLine("SKU-0001", 1))));
	}

	@Test
	void sizesBeyondTheContractAreRefused() {
		List<StockLine> fiftyOne = java.util.stream.IntStream.rangeClosed(1, 51)
			.mapToObj((i) -> new StockLine("SKU-%04d".formatted(i), 1))
			.toList();
		assertThatExceptionOfType(InvalidReservationException.class)
			.isThrownBy(() -> new ReservationRequest("o-1", fiftyOne))
			.withMessageContaining("50 lines");
		assertThatExceptionOfType(InvalidReservationException.class).isThrownBy(() -> new StockLine("S".repeat(65), 1))
			.withMessageContaining("sku");
		assertThatExceptionOfType(InvalidReservationException.class)
			.isThrownBy(() -> new ReservationRequest("o".repeat(65), List.of(new StockLine("SKU-0001", 1))))
			.withMessageContaining("orderId");
	}

	@Test
	void reservationMatchesOnlyTheSameLines() {
		Reservation reservation = new Reservation("o-1", List.of(new ReservedLine("SKU-0001", 2, 100)),
				ReservationState.RESERVED);

		assertThat(reservation.matches(new ReservationRequest("o-1", List.of(new StockLine("SKU-0001", 2))))).isTrue();
		assertThat(reservation.matches(new ReservationRequest("o-1", List.of(new StockLine("SKU-0001", 3))))).isFalse();
		assertThat(reservation.matches(
				new ReservationRequest("o-1", List.of(new StockLine("SKU-0001", 2), new StockLine("SKU-0002", 1)))))
			.isFalse();
	}

}
