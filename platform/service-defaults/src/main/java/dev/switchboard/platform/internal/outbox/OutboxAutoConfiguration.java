package dev.switchboard.platform.internal.outbox;

import javax.sql.DataSource;

import dev.switchboard.platform.queue.WorkQueues;
import dev.switchboard.platform.saga.SagaReplies;
import dev.switchboard.platform.internal.schema.PlatformSchema;
import dev.switchboard.platform.internal.schema.PlatformSchemaAutoConfiguration;
import dev.switchboard.platform.internal.tracing.MessageTracing;
import dev.switchboard.platform.internal.tracing.TracingAutoConfiguration;
import dev.switchboard.platform.outbox.Outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The transactional outbox, for every service with a database and Kafka.
 */
@AutoConfiguration(after = { TracingAutoConfiguration.class, PlatformSchemaAutoConfiguration.class,
		KafkaAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class })
@ConditionalOnClass({ JdbcTemplate.class, KafkaTemplate.class })
@ConditionalOnBean({ PlatformSchema.class, KafkaTemplate.class })
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxAutoConfiguration {

	@Bean
	OutboxRelay outboxRelay(PlatformSchema schema, DataSource dataSource, KafkaTemplate<String, byte[]> kafka,
			ObjectProvider<WorkQueues> workQueues, @Value("${spring.application.name}") String source,
			OutboxProperties properties, ObjectProvider<MeterRegistry> meters, ObjectProvider<MessageTracing> tracing) {
		return new OutboxRelay(dataSource, kafka, workQueues, source, properties,
				meters.getIfAvailable(SimpleMeterRegistry::new), tracing.getIfAvailable(MessageTracing::none));
	}

	/** The {@code outbox} health component and the dead-row gauge. */
	@Bean(name = "outboxHealthIndicator")
	DeadOutbox deadOutbox(PlatformSchema schema, JdbcTemplate jdbc) {
		return new DeadOutbox(jdbc);
	}

	@Bean
	Outbox outbox(JdbcTemplate jdbc, OutboxRelay relay, ObjectProvider<MessageTracing> tracing) {
		return new JdbcOutbox(jdbc, relay, tracing.getIfAvailable(MessageTracing::none));
	}

	/** Saga participants answer commands through it. */
	@Bean
	SagaReplies participantSagaReplies(Outbox outbox) {
		return new SagaReplies(outbox);
	}

}
