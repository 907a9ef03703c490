package dev.switchboard.order.adapter.in.scheduling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.order.application.AdmissionControl;
import dev.switchboard.order.application.port.in.TrackSagaUseCase;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The saga's clock: deadlines are stored with each saga, so a timeout survives a restart
 * of this service and fires on whichever instance scans first (sagas are locked with SKIP
 * LOCKED while they move). It also recounts the sagas in progress for admission control.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SagaTimeouts {

	private static final Logger log = LoggerFactory.getLogger(SagaTimeouts.class);

	private final TrackSagaUseCase sagas;

	private final AdmissionControl admission;

	SagaTimeouts(TrackSagaUseCase sagas, AdmissionControl admission) {
		this.sagas = sagas;
		this.admission = admission;
	}

	@Scheduled(fixedDelayString = "${switchboard.order.admission.count-interval:250ms}")
	void countActiveSagas() {
		try {
			this.admission.refresh();
		}
		catch (RuntimeException ex) {
			log.warn("Counting the sagas in progress failed; admission keeps its last count: {}", ex.toString());
		}
	}

	@Scheduled(fixedDelayString = "${switchboard.saga.timeout-scan-interval:250ms}")
	void expireOverdue() {
		try {
			int moved;
			do {
				moved = this.sagas.expireOverdue();
			}
			while (moved > 0 && !Thread.currentThread().isInterrupted());
		}
		catch (RuntimeException ex) {
			log.warn("Scanning sagas for timeouts failed; trying again at the next scan", ex);
		}
	}

}
