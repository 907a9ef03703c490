package dev.switchboard.order.adapter.in.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.order.application.port.in.TrackSagaUseCase;
import dev.switchboard.platform.messaging.EventConsumers;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Configuration;

/**
 * The saga's clock: deadlines are stored with each saga, so a timeout survives a restart
 * of this service and fires on whichever instance looks first (sagas are locked with SKIP
 * LOCKED while they move). The timer sleeps until the earliest stored deadline, or the
 * shortest timeout from now if that comes first (no saga written meanwhile can have an
 * earlier deadline), instead of scanning on a fixed beat: at rest it looks a few times a
 * minute, and a timeout fires at its deadline, not up to a scan interval later.
 *
 * <p>
 * It gives up on nothing while this service does not read its participants' answers (at
 * start, until its consumers hold their partitions, which after a crash takes until the
 * old members' sessions expire): an answer waiting to be read is not a missing one. That
 * is why the clock lives beside the subscriptions it watches.
 */
@Configuration(proxyBeanMethods = false)
class SagaTimeouts implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SagaTimeouts.class);

	private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

	private static final Duration LOCKED_RETRY = Duration.ofMillis(100);

	private static final Duration NOT_LISTENING_RETRY = Duration.ofSeconds(1);

	private final TrackSagaUseCase sagas;

	private final EventConsumers consumers;

	private volatile boolean running;

	private Thread timer;

	SagaTimeouts(TrackSagaUseCase sagas, EventConsumers consumers) {
		this.sagas = sagas;
		this.consumers = consumers;
	}

	private void run() {
		while (this.running) {
			Instant next;
			try {
				Optional<Instant> heardSince = this.consumers
					.listeningSince(SagaSubscriptions.ANSWERS.toArray(String[]::new));
				if (heardSince.isEmpty()) {
					LockSupport.parkUntil(Instant.now().plus(NOT_LISTENING_RETRY).toEpochMilli());
					continue;
				}
				while (this.sagas.expireOverdue(heardSince.get()) > 0 && this.running) {
					// A full batch moved: there may be more overdue at once.
				}
				next = this.sagas.nextExpiryCheck();
				Instant soonest = Instant.now().plus(LOCKED_RETRY);
				if (next.isBefore(soonest)) {
					// Still overdue: a saga another transaction held (SKIP LOCKED). Look
					// again shortly rather than spin.
					next = soonest;
				}
			}
			catch (RuntimeException ex) {
				log.warn("Expiring overdue sagas failed; trying again in {}", RETRY_AFTER_FAILURE, ex);
				next = Instant.now().plus(RETRY_AFTER_FAILURE);
			}
			// Woken early only by stop(); a deadline is never missed by sleeping to it.
			LockSupport.parkUntil(next.toEpochMilli());
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.timer = Thread.ofPlatform().name("saga-timer").daemon().start(this::run);
	}

	@Override
	public void stop() {
		this.running = false;
		LockSupport.unpark(this.timer);
		try {
			this.timer.join(Duration.ofSeconds(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
