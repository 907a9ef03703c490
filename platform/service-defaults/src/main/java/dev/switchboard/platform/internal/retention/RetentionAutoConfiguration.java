package dev.switchboard.platform.internal.retention;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.switchboard.platform.internal.messaging.Inbox;
import dev.switchboard.platform.internal.messaging.MessagingAutoConfiguration;
import dev.switchboard.platform.internal.schema.PlatformSchema;
import dev.switchboard.platform.retention.RetentionRule;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Prunes, on a schedule, every table a {@link RetentionRule} names; the inbox of every
 * service that consumes is one ({@code switchboard.retention.inbox}, 7 days: a message is
 * delivered again within seconds of its first delivery, when a consumer dies before
 * committing its offset, so its inbox row is needed far less long than that).
 */
@AutoConfiguration(after = { MessagingAutoConfiguration.class, JdbcTemplateAutoConfiguration.class })
@ConditionalOnBean(JdbcTemplate.class)
public class RetentionAutoConfiguration {

	@Bean
	@ConditionalOnBean(Inbox.class)
	RetentionRule inboxRetention(PlatformSchema schema, @Value("${switchboard.retention.inbox:7d}") Duration keep) {
		return new RetentionRule("inbox", PlatformSchema.NAME + ".inbox", "processed_at < ?", keep);
	}

	@Bean
	RetentionJob retentionJob(ObjectProvider<RetentionRule> rules, JdbcTemplate jdbc,
			ObjectProvider<MeterRegistry> meters, @Value("${switchboard.retention.interval:1h}") Duration interval) {
		return new RetentionJob(rules.orderedStream().toList(), jdbc, meters.getIfAvailable(SimpleMeterRegistry::new),
				interval, Clock.systemUTC());
	}

}
