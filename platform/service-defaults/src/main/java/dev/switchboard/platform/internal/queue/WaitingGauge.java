package dev.switchboard.platform.internal.queue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@value #METER}: how many messages wait in a work queue, as its broker counts
 * them. Counting asks the broker (a few admin requests on Kafka), so a scrape never waits
 * for it: each read of the gauge answers the last count and, when that is older than
 * {@value #REFRESH_MS} ms, starts a new one on a thread of its own. No one scraping, no
 * requests.
 *
 * <p>
 * In Micrometer's global registry, which Spring Boot adds its own to, as the other
 * messaging meters are.
 */
final class WaitingGauge {

	static final String METER = "switchboard.queue.waiting";

	static final long REFRESH_MS = 5_000;

	private static final Logger log = LoggerFactory.getLogger(WaitingGauge.class);

	private final String queue;

	private final LongSupplier count;

	private final AtomicBoolean counting = new AtomicBoolean();

	private volatile double last = Double.NaN;

	private volatile long countedAt = System.nanoTime() - REFRESH_MS * 2_000_000;

	private WaitingGauge(String queue, LongSupplier count) {
		this.queue = queue;
		this.count = count;
	}

	/** Shows {@code queue}'s count, asked of its broker through {@code count}. */
	static void register(String queue, LongSupplier count) {
		WaitingGauge gauge = new WaitingGauge(queue, count);
		Gauge.builder(METER, gauge, WaitingGauge::read)
			.description("Messages waiting in a work queue, at every priority level, as its broker counts them")
			.tag("queue", queue)
			.strongReference(true)
			.register(Metrics.globalRegistry);
	}

	private double read() {
		if (System.nanoTime() - this.countedAt > REFRESH_MS * 1_000_000 && this.counting.compareAndSet(false, true)) {
			Thread.ofVirtual().name("queue-count-" + this.queue).start(this::countNow);
		}
		return this.last;
	}

	private void countNow() {
		try {
			this.last = this.count.getAsLong();
		}
		catch (RuntimeException ex) {
			log.debug("Could not count the messages waiting in {}: {}", this.queue, ex.toString());
			this.last = Double.NaN;
		}
		finally {
			this.countedAt = System.nanoTime();
			this.counting.set(false);
		}
	}

}
