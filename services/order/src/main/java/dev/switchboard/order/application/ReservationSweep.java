package dev.switchboard.order.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.order.application.port.in.SweepReservationsUseCase;
import dev.switchboard.order.application.port.out.InventoryPort;
import dev.switchboard.order.application.port.out.InventoryPort.HeldReservation;
import dev.switchboard.order.application.port.out.OrderRepository;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Releases reservations no order took within
 * {@code switchboard.order.reservation-sweep.claim-within} (5 minutes by default: a
 * placement reserves and stores its order within one request, whose reservation call
 * alone is bounded by the 5 s reserve timeout). Each is released with the attempt that
 * made it, so a client's keyed retry (a new attempt) can still reserve again.
 */
@Service
class ReservationSweep implements SweepReservationsUseCase {

	private static final Logger log = LoggerFactory.getLogger(ReservationSweep.class);

	private static final int PAGE = 100;

	private final InventoryPort inventory;

	private final OrderRepository orders;

	private final Duration claimWithin;

	private final Clock clock;

	ReservationSweep(InventoryPort inventory, OrderRepository orders,
			@Value("${switchboard.order.reservation-sweep.claim-within:5m}") Duration claimWithin, Clock clock) {
		if (claimWithin.isNegative() || claimWithin.isZero()) {
			throw new IllegalArgumentException(
					"switchboard.order.reservation-sweep.claim-within must be positive, was " + claimWithin);
		}
		this.inventory = inventory;
		this.orders = orders;
		this.claimWithin = claimWithin;
		this.clock = clock;
	}

	@Override
	public int releaseUnclaimed() {
		Instant before = this.clock.instant().minus(this.claimWithin);
		int released = 0;
		String after = "";
		List<HeldReservation> page;
		do {
			page = this.inventory.heldSince(before, after, PAGE);
			for (HeldReservation held : page) {
				if (this.orders.find(held.orderId()).isEmpty()) {
					log.warn("Releasing the reservation of order {} (attempt {}), held since {}: no order took it",
							held.orderId(), held.attemptId(), held.reservedAt());
					this.inventory.release(held.orderId(), held.attemptId());
					released++;
				}
			}
			after = page.isEmpty() ? after : page.getLast().orderId();
		}
		while (page.size() == PAGE);
		return released;
	}

}
