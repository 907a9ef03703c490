package dev.switchboard.platform.internal.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.platform.internal.fault.FaultInjector;
import dev.switchboard.platform.internal.schema.PlatformSchema;
import dev.switchboard.platform.internal.schema.PlatformSchemaAutoConfiguration;
import dev.switchboard.platform.internal.tracing.MessageTracing;
import dev.switchboard.platform.internal.tracing.TracingAutoConfiguration;
import dev.switchboard.platform.messaging.EventConsumers;
import dev.switchboard.platform.messaging.EventSubscription;

/**
 * Idempotent event consumers for every service with a database and Kafka.
 */
@AutoConfiguration(after = { TracingAutoConfiguration.class, PlatformSchemaAutoConfiguration.class,
		KafkaAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class })
@ConditionalOnClass({ JdbcTemplate.class, KafkaTemplate.class })
@ConditionalOnBean({ PlatformSchema.class, KafkaTemplate.class })
public class MessagingAutoConfiguration {

	/**
	 * The topics this service writes ({@link Topics#ownedBy}), created when it starts
	 * with the platform's partitions and their retention; readers create a missing one
	 * too.
	 */
	@Bean
	KafkaAdmin.NewTopics ownedTopics(@Value("${spring.application.name}") String application) {
		return new KafkaAdmin.NewTopics(PlatformTopics.ownedBy(application));
	}

	@Bean
	Inbox inbox(PlatformSchema schema, JdbcTemplate jdbc) {
		return new Inbox(jdbc);
	}

	@Bean
	MessageProgress messageProgress(Inbox inbox, JdbcTemplate jdbc) {
		return new MessageProgress(inbox, jdbc, Clock.systemUTC());
	}

	@Bean
	MessageStatusController messageStatusController(MessageProgress progress) {
		return new MessageStatusController(progress);
	}

	@Bean
	@SuppressWarnings("unchecked")
	EventConsumers eventConsumers(ObjectProvider<EventSubscription> subscriptions,
			ConcurrentKafkaListenerContainerFactory<?, ?> factory, KafkaTemplate<String, byte[]> kafka,
			KafkaAdmin admin, PlatformTransactionManager transactionManager, Inbox inbox, MessageProgress progress,
			@Value("${spring.application.name}") String application, ObjectProvider<MessageTracing> tracing,
			@Value("${switchboard.messaging.retry-budget:30s}") Duration retryBudget,
			ObjectProvider<FaultInjector> faults) {
		List<EventSubscription> all = subscriptions.orderedStream().toList();
		return new EventConsumers(all, (ConcurrentKafkaListenerContainerFactory<String, byte[]>) factory, kafka, admin,
				new TransactionTemplate(transactionManager), inbox, progress, application,
				tracing.getIfAvailable(MessageTracing::none), retryBudget, faults.getIfAvailable(FaultInjector::none));
	}

}
