package dev.switchboard.platform.internal.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.switchboard.platform.outbox.Outbox;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox rows the relay moved aside because the broker refuses them for good, as the
 * service reports them: the gauge {@value #METRIC} and the {@code outbox} health
 * component's {@code deadRows} detail; with them the gauge {@value #BACKLOG_METRIC}, the
 * rows still in the outbox. A dead row does not make the service unhealthy (it goes on
 * relaying everything else); it is a message to look at with {@code switchboard
 * dlq show outbox.<service>}.
 */
final class DeadOutbox implements HealthIndicator, MeterBinder {

	static final String METRIC = "switchboard.outbox.dead";

	static final String BACKLOG_METRIC = "switchboard.outbox.backlog";

	private final JdbcTemplate jdbc;

	DeadOutbox(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	long count() {
		Long count = this.jdbc.queryForObject("SELECT count(*) FROM platform.dead_outbox", Long.class);
		return (count != null) ? count : 0;
	}

	private static long backlog(JdbcTemplate jdbc) {
		Long count = jdbc.queryForObject("SELECT count(*) FROM platform.outbox", Long.class);
		return (count != null) ? count : 0;
	}

	@Override
	public Health health() {
		long dead = count();
		Health.Builder health = Health.up().withDetail("deadRows", dead);
		if (dead > 0) {
			health.withDetail("deadRowsHint",
					"messages the broker refused for good; see `switchboard dlq show` for why, then replay or purge them");
		}
		return health.build();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(METRIC, this, DeadOutbox::count)
			.description("Outbox rows the broker refused for good, set aside in platform.dead_outbox")
			.register(registry);
		Gauge.builder(BACKLOG_METRIC, this.jdbc, DeadOutbox::backlog)
			.description("Outbox rows not yet published, or published and not yet deleted")
			.register(registry);
	}

}
