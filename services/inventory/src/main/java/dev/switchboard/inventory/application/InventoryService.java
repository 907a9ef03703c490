package dev.switchboard.inventory.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.switchboard.inventory.application.port.in.BrowseCatalogueUseCase;
import dev.switchboard.inventory.application.port.in.ListHeldReservationsUseCase;
import dev.switchboard.inventory.application.port.in.ReserveStockUseCase;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase.Settlement;
import dev.switchboard.inventory.application.port.out.InventoryRepository;
import dev.switchboard.inventory.domain.AllocationPolicy;
import dev.switchboard.inventory.domain.HeldReservation;
import dev.switchboard.inventory.domain.InsufficientStockException;
import dev.switchboard.inventory.domain.Product;
import dev.switchboard.inventory.domain.Reservation;
import dev.switchboard.inventory.domain.ReservationConflictException;
import dev.switchboard.inventory.domain.ReservationReleasedException;
import dev.switchboard.inventory.domain.ReservationRequest;
import dev.switchboard.inventory.domain.ReservationState;
import dev.switchboard.inventory.domain.ReservedLine;
import dev.switchboard.inventory.domain.StockLine;
import dev.switchboard.inventory.domain.UnknownSkuException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reservations in one database transaction each. No oversell: stock is taken with a
 * conditional update that only succeeds while enough is available, so concurrent orders
 * for the last units serialise on the stock row and exactly the available units are sold.
 */
@Service
@Transactional
class InventoryService
		implements ReserveStockUseCase, SettleReservationUseCase, BrowseCatalogueUseCase, ListHeldReservationsUseCase {

	private final InventoryRepository repository;

	private final AllocationPolicy allocation;

	InventoryService(InventoryRepository repository, AllocationPolicy allocation) {
		this.repository = repository;
		this.allocation = allocation;
	}

	@Override
	public Reservation reserve(ReservationRequest request) {
		if (!this.repository.createReservation(request.orderId(), request.attemptId())) {
			Reservation existing = this.repository.findReservation(request.orderId()).orElseThrow();
			if (existing.state() != ReservationState.RELEASED) {
				if (existing.matches(request)) {
					return existing;
				}
				throw new ReservationConflictException(request.orderId());
			}
			// Released: the order service gave up on an attempt (its caller left, or the
			// order could not be stored). A client's keyed retry is a new attempt of the
			// same order id and reserves afresh; a late copy of the given-up attempt must
			// not.
			if (request.attemptId().isEmpty() || !this.repository.reopen(request.orderId(), request.attemptId())) {
				throw new ReservationReleasedException(request.orderId());
			}
		}
		List<ReservedLine> reserved = new ArrayList<>();
		for (StockLine line : request.lines()) {
			OptionalLong price = this.repository.takeStock(line.sku(), line.quantity());
			if (price.isEmpty()) {
				// Rolls back the whole transaction: lines taken so far go back too.
				Product product = this.repository.findProduct(line.sku())
					.orElseThrow(() -> new UnknownSkuException(line.sku()));
				throw new InsufficientStockException(line.sku(), line.quantity(), product.available());
			}
			ReservedLine reservedLine = new ReservedLine(line.sku(), line.quantity(), price.getAsLong());
			this.repository.addLine(request.orderId(), reservedLine);
			reserved.add(reservedLine);
		}
		return new Reservation(request.orderId(), reserved, ReservationState.RESERVED);
	}

	@Override
	public Settlement allocate(String orderId) {
		Optional<Reservation> found = this.repository.findReservation(orderId);
		if (found.isEmpty()) {
			return new Settlement(found, false, "no reservation for order " + orderId);
		}
		Reservation reservation = found.get();
		if (reservation.state() == ReservationState.ALLOCATED) {
			return new Settlement(found, false, null);
		}
		if (reservation.state() == ReservationState.RELEASED) {
			return new Settlement(found, false, "the reservation was released");
		}
		Optional<String> refusal = this.allocation.refusal(reservation);
		if (refusal.isPresent()) {
			return new Settlement(found, false, refusal.get());
		}
		return move(reservation, ReservationState.ALLOCATED);
	}

	@Override
	public Settlement deallocate(String orderId) {
		Optional<Reservation> found = this.repository.findReservation(orderId);
		if (found.isPresent() && found.get().state() == ReservationState.ALLOCATED) {
			return move(found.get(), ReservationState.RESERVED);
		}
		return new Settlement(found, false, null);
	}

	@Override
	public Settlement release(String orderId) {
		return release(orderId, "");
	}

	@Override
	public Settlement release(String orderId, String attemptId) {
		Optional<Reservation> found = this.repository.findReservation(orderId);
		if (found.isEmpty()) {
			// The release overtook its reservation: the order service gave up on a
			// reservation still on its way here. The marker makes that reservation fail.
			if (this.repository.createReleasedMarker(orderId, attemptId)) {
				return new Settlement(found, false, null);
			}
			found = this.repository.findReservation(orderId);
		}
		if (found.isPresent() && found.get().state() != ReservationState.RELEASED) {
			return move(found.get(), ReservationState.RELEASED);
		}
		return new Settlement(found, false, null);
	}

	/** Moves the reservation (locking it) and its units between the stock counters. */
	private Settlement move(Reservation reservation, ReservationState to) {
		ReservationState from = reservation.state();
		if (!this.repository.transition(reservation.orderId(), from, to)) {
			// A concurrent move won; report the state it left.
			return new Settlement(this.repository.findReservation(reservation.orderId()), false,
					to == ReservationState.ALLOCATED ? "the reservation was moved concurrently" : null);
		}
		for (ReservedLine line : reservation.lines()) {
			if (from == ReservationState.ALLOCATED) {
				this.repository.unshipStock(line.sku(), line.quantity());
			}
			if (to == ReservationState.ALLOCATED) {
				this.repository.shipStock(line.sku(), line.quantity());
			}
			else if (to == ReservationState.RELEASED) {
				this.repository.returnStock(line.sku(), line.quantity());
			}
		}
		return new Settlement(this.repository.findReservation(reservation.orderId()), true, null);
	}

	@Override
	@Transactional(readOnly = true)
	public List<Product> products() {
		return this.repository.findAllProducts();
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<Product> product(String sku) {
		return this.repository.findProduct(sku);
	}

	@Override
	@Transactional(readOnly = true)
	public List<HeldReservation> heldSince(Instant before, String afterOrderId, int limit) {
		return this.repository.reservedBefore(before, afterOrderId, limit);
	}

}
