package dev.switchboard.order.adapter.in.scheduling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.order.application.port.in.SweepReservationsUseCase;
import dev.switchboard.order.domain.InventoryUnavailableException;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Runs the sweep of reservations no order took every
 * {@code switchboard.order.reservation-sweep.interval} (1 minute by default; its cost is
 * one call to inventory, which scans its few reservations still held). An inventory that
 * does not answer is simply asked again next time.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ReservationSweeper {

	private static final Logger log = LoggerFactory.getLogger(ReservationSweeper.class);

	private final SweepReservationsUseCase sweep;

	ReservationSweeper(SweepReservationsUseCase sweep) {
		this.sweep = sweep;
	}

	@Scheduled(initialDelayString = "${switchboard.order.reservation-sweep.interval:1m}",
			fixedDelayString = "${switchboard.order.reservation-sweep.interval:1m}")
	void sweep() {
		try {
			int released = this.sweep.releaseUnclaimed();
			if (released > 0) {
				log.warn("Released {} reservations no order took", released);
			}
		}
		catch (InventoryUnavailableException ex) {
			log.info("Could not sweep reservations this time: {}", ex.getMessage());
		}
	}

}
