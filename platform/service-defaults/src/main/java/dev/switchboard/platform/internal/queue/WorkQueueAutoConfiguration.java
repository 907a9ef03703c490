package dev.switchboard.platform.internal.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.internal.fault.FaultInjector;
import dev.switchboard.platform.internal.messaging.Inbox;
import dev.switchboard.platform.internal.messaging.MessageProgress;
import dev.switchboard.platform.internal.messaging.MessagingAutoConfiguration;
import dev.switchboard.platform.internal.tracing.MessageTracing;
import dev.switchboard.platform.internal.queue.kafka.KafkaWorkQueues;
import dev.switchboard.platform.internal.queue.rabbit.RabbitWorkQueues;
import dev.switchboard.platform.queue.QueueSubscription;
import dev.switchboard.platform.queue.WorkQueues;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Work queues for every service with Kafka: the queues it declares ({@link QueueSpec}
 * beans) and consumes ({@link QueueSubscription} beans), each on the broker
 * {@code switchboard.queues.*} binds it to.
 */
@AutoConfiguration(after = MessagingAutoConfiguration.class)
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties(WorkQueueProperties.class)
public class WorkQueueAutoConfiguration {

	@Bean
	WorkQueues workQueues(ObjectProvider<QueueSpec> specs, ObjectProvider<QueueSubscription> subscriptions,
			WorkQueueProperties properties,
			@Value("${spring.kafka.bootstrap-servers:localhost:9092}") String kafkaBootstrapServers,
			ObjectProvider<KafkaAdmin> kafkaAdmin, @Value("${spring.application.name}") String application) {
		List<QueueSpec> declared = new ArrayList<>(specs.orderedStream().toList());
		subscriptions.orderedStream().map(QueueSubscription::queue).forEach(declared::add);
		return new WorkQueues(declared, properties, (binding) -> switch (binding) {
			case KAFKA -> new KafkaWorkQueues(kafkaConnection(kafkaAdmin.getIfAvailable(), kafkaBootstrapServers),
					application, properties.kafkaPartitions());
			case RABBITMQ -> new RabbitWorkQueues(properties.rabbitmqUri(), application,
					properties.rabbitmqMaxMessageSize().toBytes());
		});
	}

	/**
	 * Where Kafka is and how to reach it, as Spring Boot set it up for its own clients
	 * (bootstrap servers, security protocol, the SSL bundle of this service's identity),
	 * without what is particular to an admin client.
	 */
	static Map<String, Object> kafkaConnection(KafkaAdmin admin, String bootstrapServers) {
		if (admin == null) {
			return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		}
		Map<String, Object> connection = new HashMap<>();
		admin.getConfigurationProperties().forEach((key, value) -> {
			if (key.equals(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) || key.startsWith("security.")
					|| key.startsWith("ssl.") || key.startsWith("sasl.") || key.equals(SslBundle.class.getName())) {
				connection.put(key, value);
			}
		});
		return connection;
	}

	@Bean
	@ConditionalOnBean(Inbox.class)
	QueueConsumers queueConsumers(ObjectProvider<QueueSubscription> subscriptions, WorkQueues queues,
			PlatformTransactionManager transactionManager, Inbox inbox, MessageProgress progress,
			ObjectProvider<FaultInjector> faults, @Value("${spring.application.name}") String application,
			ObjectProvider<MessageTracing> tracing) {
		return new QueueConsumers(subscriptions.orderedStream().toList(), queues,
				new TransactionTemplate(transactionManager), inbox, progress, application, faults.getIfAvailable(),
				tracing.getIfAvailable(MessageTracing::none));
	}

}
