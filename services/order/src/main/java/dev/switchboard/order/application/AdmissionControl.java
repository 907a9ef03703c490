package dev.switchboard.order.application;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.order.application.port.in.OverloadedException;
import dev.switchboard.order.application.port.out.SagaRepository;

/**
 * Takes a new order only while fewer sagas than the limit are in progress. Orders are
 * accepted in milliseconds but completed by asynchronous steps; without a bound, a rate
 * above what those steps sustain grows the backlog until waiting alone exceeds the step
 * timeouts, and then nearly every order is cancelled (measured: 89% at twice the
 * sustainable rate). Refusing early with "retry after" keeps the accepted orders fast.
 *
 * <p>
 * The limit follows Little's law: orders in progress = rate × time in progress. With a
 * target completion time {@code W}, the limit is the rate of orders admitted over the last
 * {@value #WINDOW_SAMPLES} counts (ten seconds at the default count interval) times
 * {@code W}, and never below a minimum that lets a platform ramp up from rest. At a rate the
 * platform sustains, fewer orders than that are ever in progress and nothing is refused; past
 * it, admissions settle at what completes, and the sagas in progress at what completes
 * within about {@code W}. A fixed limit can be configured instead, or none.
 *
 * <p>
 * The count of sagas in progress comes from the database (every instance sees every saga)
 * at each {@link #refresh}, plus the orders this instance admitted since.
 */
public final class AdmissionControl {

	private static final int WINDOW_SAMPLES = 40;

	private final SagaRepository sagas;

	/** A fixed limit; 0 for none, negative to follow Little's law. */
	private final int fixedLimit;

	private final Duration completionTarget;

	private final int minimumLimit;

	private final Duration retryAfter;

	private volatile int counted;

	private volatile int limit;

	private final AtomicInteger admittedSinceCount = new AtomicInteger();

	private final AtomicLong admitted = new AtomicLong();

	/** Admissions and their instants at the last counts, oldest first (a ring). */
	private final long[][] window = new long[WINDOW_SAMPLES][];

	private int next;

	/** A fixed limit of {@code maxActive} sagas in progress (0: no limit). */
	public AdmissionControl(SagaRepository sagas, int maxActive, Duration retryAfter) {
		this(sagas, maxActive, Duration.ZERO, maxActive, retryAfter);
	}

	private AdmissionControl(SagaRepository sagas, int fixedLimit, Duration completionTarget, int minimumLimit,
			Duration retryAfter) {
		this.sagas = sagas;
		this.fixedLimit = fixedLimit;
		this.completionTarget = completionTarget;
		this.minimumLimit = minimumLimit;
		this.retryAfter = retryAfter;
		this.limit = (fixedLimit >= 0) ? fixedLimit : minimumLimit;
	}

	/**
	 * A limit of admitted rate × {@code completionTarget}, at least {@code minimumLimit}.
	 */
	public static AdmissionControl littlesLaw(SagaRepository sagas, Duration completionTarget, int minimumLimit,
			Duration retryAfter) {
		if (completionTarget.isNegative() || completionTarget.isZero() || minimumLimit < 1) {
			throw new IllegalArgumentException("the completion target and the minimum limit must be positive");
		}
		return new AdmissionControl(sagas, -1, completionTarget, minimumLimit, retryAfter);
	}

	/** Counts the sagas in progress again, and, following Little's law, sets the limit again. */
	public void refresh() {
		refresh(System.nanoTime());
	}

	synchronized void refresh(long nanoTime) {
		int active = this.sagas.countActive();
		this.admittedSinceCount.set(0);
		this.counted = active;
		if (this.fixedLimit >= 0) {
			return;
		}
		long[] now = { nanoTime, this.admitted.get() };
		long[] oldest = this.window[this.next];
		if (oldest == null) {
			oldest = this.window[0];
		}
		this.window[this.next] = now;
		this.next = (this.next + 1) % WINDOW_SAMPLES;
		if (oldest != null && now[0] > oldest[0]) {
			double rate = (now[1] - oldest[1]) / ((now[0] - oldest[0]) / 1e9);
			double target = rate * this.completionTarget.toNanos() / 1e9;
			this.limit = (int) Math.max(this.minimumLimit, Math.ceil(target));
		}
	}

	/** The limit in force: sagas in progress beyond which new orders are refused (0: none). */
	public int limit() {
		return this.limit;
	}

	/**
	 * Admits one new order or refuses it.
	 * @throws OverloadedException when the limit is reached
	 */
	void admit() {
		int limit = this.limit;
		if (limit <= 0) {
			return;
		}
		int active = this.counted + this.admittedSinceCount.get();
		if (active >= limit) {
			throw new OverloadedException("too many orders in progress (" + active + ", limit " + limit
					+ "); try again shortly", this.retryAfter);
		}
		this.admittedSinceCount.incrementAndGet();
		this.admitted.incrementAndGet();
	}

}
