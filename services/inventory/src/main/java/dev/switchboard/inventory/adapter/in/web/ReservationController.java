package dev.switchboard.inventory.adapter.in.web;

import java.time.Instant;
import java.util.List;

import dev.switchboard.inventory.application.port.in.ListHeldReservationsUseCase;
import dev.switchboard.inventory.application.port.in.ReserveStockUseCase;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase;
import dev.switchboard.inventory.domain.InvalidReservationException;
import dev.switchboard.inventory.domain.Reservation;
import dev.switchboard.inventory.domain.ReservationRequest;
import dev.switchboard.inventory.domain.StockLine;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The order service's calls to inventory over REST: the same three operations as the gRPC
 * {@code CheckAndReserve}, {@code Release} and {@code ListReservedBefore}, on the same
 * use cases, for an order service whose inventory edge is set to REST
 * ({@code up --edge order-inventory=rest}). Only the order service may call them (the
 * access policy). Refusals are problem+json ({@link ReservationProblems}).
 *
 * <ul>
 * <li>{@code PUT /reservations/{orderId}} {@code {"attemptId", "lines": [{"sku",
 * "quantity"}]}}: reserves every line or none; repeating it returns the first
 * reservation.</li>
 * <li>{@code DELETE /reservations/{orderId}?attemptId=}: releases what that attempt
 * reserved, if anything.</li>
 * <li>{@code GET /reservations?heldBefore=EPOCH_MILLIS&after=ORDER_ID&limit=N}:
 * reservations holding stock since before that instant, by order id.</li>
 * </ul>
 */
@RestController
class ReservationController {

	private final ReserveStockUseCase reserveStock;

	private final SettleReservationUseCase settleReservation;

	private final ListHeldReservationsUseCase heldReservations;

	ReservationController(ReserveStockUseCase reserveStock, SettleReservationUseCase settleReservation,
			ListHeldReservationsUseCase heldReservations) {
		this.reserveStock = reserveStock;
		this.settleReservation = settleReservation;
		this.heldReservations = heldReservations;
	}

	@PutMapping("/reservations/{orderId}")
	ReservationBody reserve(@PathVariable String orderId, @RequestBody ReserveBody body) {
		if (body.lines() == null) {
			throw new InvalidReservationException("a reservation needs lines");
		}
		List<StockLine> lines = body.lines().stream().map((l) -> {
			if (l == null || l.quantity() == null) {
				throw new InvalidReservationException("every line needs a sku and a quantity");
			}
			return new StockLine(l.sku(), l.quantity());
		}).toList();
		return ReservationBody.of(this.reserveStock.reserve(new ReservationRequest(orderId, lines, body.attemptId())));
	}

	@DeleteMapping("/reservations/{orderId}")
	ReservationBody release(@PathVariable String orderId, @RequestParam(defaultValue = "") String attemptId) {
		return this.settleReservation.release(orderId, attemptId)
			.reservation()
			.map(ReservationBody::of)
			.orElseGet(() -> new ReservationBody(orderId, null, List.of()));
	}

	@GetMapping(path = "/reservations", params = "heldBefore")
	List<HeldBody> held(@RequestParam long heldBefore, @RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > 1000) {
			throw new InvalidReservationException("limit must be between 1 and 1000, was " + limit);
		}
		return this.heldReservations.heldSince(Instant.ofEpochMilli(heldBefore), after, limit)
			.stream()
			.map((held) -> new HeldBody(held.orderId(), (held.attempt() != null) ? held.attempt() : "",
					held.reservedAt().toEpochMilli()))
			.toList();
	}

	record ReserveBody(String attemptId, List<LineBody> lines) {
	}

	record LineBody(String sku, Integer quantity) {
	}

	/**
	 * @param state {@code RESERVED}, {@code ALLOCATED}, {@code RELEASED}...; {@code null}
	 * when the order has no reservation
	 */
	record ReservationBody(String orderId, String state, List<ReservedLineBody> lines) {

		static ReservationBody of(Reservation reservation) {
			return new ReservationBody(reservation.orderId(), reservation.state().name(),
					reservation.lines()
						.stream()
						.map((l) -> new ReservedLineBody(l.sku(), l.quantity(), l.unitPriceCents()))
						.toList());
		}

	}

	record ReservedLineBody(String sku, int quantity, long unitPriceCents) {
	}

	record HeldBody(String orderId, String attemptId, long reservedAtEpochMillis) {
	}

}
