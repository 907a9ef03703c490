package dev.switchboard.platform.internal.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.retention.RetentionRule;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes what every {@link RetentionRule} says is old enough, every
 * {@code switchboard.retention.interval} (an hour by default), a batch of {@value #BATCH}
 * rows per statement so that no delete holds many locks or a long transaction while
 * orders go on. The tables have no index on their timestamps (it would cost every write):
 * each batch scans from the start of the table, where the oldest rows are, which an
 * hourly job can afford.
 */
public final class RetentionJob implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

	static final int BATCH = 5000;

	private final List<RetentionRule> rules;

	private final JdbcTemplate jdbc;

	private final MeterRegistry meters;

	private final Duration interval;

	private final Clock clock;

	private ScheduledExecutorService timer;

	RetentionJob(List<RetentionRule> rules, JdbcTemplate jdbc, MeterRegistry meters, Duration interval, Clock clock) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("switchboard.retention.interval must be positive, was " + interval);
		}
		this.rules = rules;
		this.jdbc = jdbc;
		this.meters = meters;
		this.interval = interval;
		this.clock = clock;
	}

	/** Runs every rule once, now; returns how many rows were deleted. */
	public long runOnce() {
		long total = 0;
		for (RetentionRule rule : this.rules) {
			try {
				long deleted = prune(rule);
				total += deleted;
				if (deleted > 0) {
					log.info("Deleted {} rows of {} older than {}", deleted, rule.name(), rule.keep());
				}
			}
			catch (RuntimeException ex) {
				log.warn("Could not delete old rows of {} this time: {}", rule.name(), ex.toString());
			}
		}
		return total;
	}

	private long prune(RetentionRule rule) {
		Timestamp cutoff = Timestamp.from(Instant.now(this.clock).minus(rule.keep()));
		String delete = "DELETE FROM " + rule.table() + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + rule.table()
				+ " WHERE " + rule.olderThan() + " LIMIT " + BATCH + "))";
		long deleted = 0;
		int batch;
		do {
			batch = this.jdbc.update(delete, cutoff);
			deleted += batch;
			this.meters.counter("switchboard.retention.deleted", "rule", rule.name()).increment(batch);
		}
		while (batch == BATCH);
		return deleted;
	}

	@Override
	public synchronized void start() {
		if (this.rules.isEmpty()) {
			return;
		}
		this.timer = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("retention").daemon().factory());
		this.timer.scheduleWithFixedDelay(this::runOnce, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.timer != null) {
			this.timer.shutdownNow();
			this.timer = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.timer != null;
	}

}
