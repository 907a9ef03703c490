package dev.switchboard.order.application;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.order.application.port.in.OverloadedException;
import dev.switchboard.order.application.port.out.SagaRepository;

/**
 * Takes a new order only while fewer than {@code maxActive} sagas are in progress. Orders
 * are accepted in milliseconds but completed by asynchronous steps; without a bound, a
 * rate above what those steps sustain grows the backlog until waiting alone exceeds the
 * step timeouts, and then nearly every order is cancelled (measured: 89% at twice the
 * sustainable rate). Refusing early with "retry after" keeps the accepted orders fast.
 *
 * <p>
 * By Little's law the bound is the sustainable rate times the time a saga may take; the
 * default (100) suits this platform on a small machine (about 15 orders/s, a few seconds
 * each) and is {@code switchboard.order.admission.max-active-sagas}. The count comes from
 * the database (every instance sees every saga) every {@code refresh} interval, plus the
 * orders this instance admitted since.
 */
public final class AdmissionControl {

	private final SagaRepository sagas;

	private final int maxActive;

	private final Duration retryAfter;

	private volatile int counted;

	private final AtomicInteger admittedSinceCount = new AtomicInteger();

	public AdmissionControl(SagaRepository sagas, int maxActive, Duration retryAfter) {
		this.sagas = sagas;
		this.maxActive = maxActive;
		this.retryAfter = retryAfter;
	}

	/** Counts the sagas in progress again. */
	public void refresh() {
		int active = this.sagas.countActive();
		this.admittedSinceCount.set(0);
		this.counted = active;
	}

	/**
	 * Admits one new order or refuses it.
	 * @throws OverloadedException when the limit is reached
	 */
	void admit() {
		if (this.maxActive <= 0) {
			return;
		}
		int active = this.counted + this.admittedSinceCount.get();
		if (active >= this.maxActive) {
			throw new OverloadedException("too many orders in progress (" + active + ", limit " + this.maxActive
					+ "); try again shortly", this.retryAfter);
		}
		this.admittedSinceCount.incrementAndGet();
	}

}
