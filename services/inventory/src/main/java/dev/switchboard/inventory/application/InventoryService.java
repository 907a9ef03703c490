package dev.switchboard.inventory.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.switchboard.inventory.application.port.in.BrowseCatalogueUseCase;
import dev.switchboard.inventory.application.port.in.ReserveStockUseCase;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase;
import dev.switchboard.inventory.application.port.out.InventoryRepository;
import dev.switchboard.inventory.domain.InsufficientStockException;
import dev.switchboard.inventory.domain.Product;
import dev.switchboard.inventory.domain.Reservation;
import dev.switchboard.inventory.domain.ReservationConflictException;
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
class InventoryService implements ReserveStockUseCase, SettleReservationUseCase, BrowseCatalogueUseCase {

	private final InventoryRepository repository;

	InventoryService(InventoryRepository repository) {
		this.repository = repository;
	}

	@Override
	public Reservation reserve(ReservationRequest request) {
		if (!this.repository.createReservation(request.orderId())) {
			Reservation existing = this.repository.findReservation(request.orderId()).orElseThrow();
			if (existing.matches(request)) {
				return existing;
			}
			throw new ReservationConflictException(request.orderId());
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
	public Optional<Reservation> release(String orderId) {
		return settle(orderId, ReservationState.RELEASED);
	}

	@Override
	public Optional<Reservation> allocate(String orderId) {
		return settle(orderId, ReservationState.ALLOCATED);
	}

	private Optional<Reservation> settle(String orderId, ReservationState to) {
		if (this.repository.transition(orderId, ReservationState.RESERVED, to)) {
			Reservation reservation = this.repository.findReservation(orderId).orElseThrow();
			for (ReservedLine line : reservation.lines()) {
				if (to == ReservationState.RELEASED) {
					this.repository.returnStock(line.sku(), line.quantity());
				}
				else {
					this.repository.shipStock(line.sku(), line.quantity());
				}
			}
			return Optional.of(reservation);
		}
		return this.repository.findReservation(orderId);
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

}
