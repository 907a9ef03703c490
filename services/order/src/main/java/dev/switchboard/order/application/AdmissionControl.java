package dev.switchboard.order.application;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * target completion time {@code W}, the limit is the rate of orders admitted over the
 * last {@value #WINDOW_SAMPLES} counts (ten seconds at the default count interval) times
 * {@code W}, and never below a minimum that lets a platform ramp up from rest. At a rate
 * the platform sustains, fewer orders than that are ever in progress and nothing is
 * refused; past it, admissions settle at what completes, and the sagas in progress at
 * what completes within about {@code W}. A fixed limit can be configured instead, or
 * none.
 *
 * <p>
 * The count of sagas in progress comes from the database (every instance sees every
 * saga), plus the orders this instance admitted since. It is taken when an order arrives
 * and the last count is older than the count interval, by that order's thread: a platform
 * at rest counts nothing.
 */
public final class AdmissionControl {

	private static final Logger log = LoggerFactory.getLogger(AdmissionControl.class);

	private static final int WINDOW_SAMPLES = 40;

	/** How old a count may be when an order is admitted. */
	public static final Duration COUNT_INTERVAL = Duration.ofMillis(250);

	private final SagaRepository sagas;

	/** A fixed limit; 0 for none, negative to follow Little's law. */
	private final int fixedLimit;

	private final Duration completionTarget;

	private final int minimumLimit;

	private final Duration retryAfter;

	private volatile int counted;

	private volatile int limit;

	private final AtomicInteger admittedSinceCount = new AtomicInteger();

	/** Held while counting: one order's thread counts, the others use the last count. */
	private final ReentrantLock counting = new ReentrantLock();

	/** When the last count was taken ({@link System#nanoTime}). */
	private volatile long countedAt;

	private volatile boolean everCounted;

	private final AtomicLong admitted = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

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

	/**
	 * Counts the sagas in progress again, and, following Little's law, sets the limit
	 * again.
	 */
	public void refresh() {
		refresh(System.nanoTime());
	}

	void refresh(long nanoTime) {
		this.counting.lock();
		try {
			count(nanoTime);
		}
		finally {
			this.counting.unlock();
		}
	}

	private void count(long nanoTime) {
		int active = this.sagas.countActive();
		this.admittedSinceCount.set(0);
		this.counted = active;
		this.countedAt = nanoTime;
		this.everCounted = true;
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

	/**
	 * The limit in force: sagas in progress beyond which new orders are refused (0:
	 * none).
	 */
	public int limit() {
		return this.limit;
	}

	/** Orders admitted since start (with a limit in force). */
	public long admitted() {
		return this.admitted.get();
	}

	/** Orders refused since start. */
	public long refused() {
		return this.refused.get();
	}

	/**
	 * Sagas in progress as admission last saw them: its last count plus those admitted
	 * since.
	 */
	public int active() {
		return this.counted + this.admittedSinceCount.get();
	}

	/**
	 * Admits one new order or refuses it.
	 * @throws OverloadedException when the limit is reached
	 */
	void admit() {
		admit(System.nanoTime());
	}

	void admit(long nanoTime) {
		if (this.limit <= 0) {
			return;
		}
		if ((!this.everCounted || nanoTime - this.countedAt >= COUNT_INTERVAL.toNanos()) && this.counting.tryLock()) {
			try {
				if (!this.everCounted || nanoTime - this.countedAt >= COUNT_INTERVAL.toNanos()) {
					count(nanoTime);
				}
			}
			catch (RuntimeException ex) {
				// The order itself will find out whether the database is there; admission
				// goes on with its last count.
				log.warn("Counting the sagas in progress failed; admission keeps its last count: {}", ex.toString());
			}
			finally {
				this.counting.unlock();
			}
		}
		int limit = this.limit;
		int active = this.counted + this.admittedSinceCount.get();
		if (active >= limit) {
			this.refused.incrementAndGet();
			throw new OverloadedException(
					"too many orders in progress (" + active + ", limit " + limit + "); try again shortly",
					this.retryAfter);
		}
		this.admittedSinceCount.incrementAndGet();
		this.admitted.incrementAndGet();
	}

}
