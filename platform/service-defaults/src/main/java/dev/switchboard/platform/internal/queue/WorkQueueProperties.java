package dev.switchboard.platform.internal.queue;

import java.net.URI;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Which broker carries each work queue.
 *
 * @param binding the broker of every queue not named in {@code bindings}
 * @param bindings the broker of individual queues, by queue name
 * @param rabbitmqUri the RabbitMQ to use when any queue is bound to it
 * @param kafkaPartitions partitions of a new queue topic on Kafka: at most that many
 * consumers of one priority level take records in parallel
 * @param rabbitmqMaxMessageSize the RabbitMQ broker's {@code max_message_size} (16 MB by
 * default, RabbitMQ 4's); a larger message is refused for good before it is sent
 */
@ConfigurationProperties("switchboard.queues")
public record WorkQueueProperties(@DefaultValue("kafka") Binding binding, @DefaultValue Map<String, Binding> bindings,
		@DefaultValue("amqp://guest:guest@localhost:5672") URI rabbitmqUri, @DefaultValue("6") int kafkaPartitions,
		@DefaultValue("16MB") DataSize rabbitmqMaxMessageSize) {

	public Binding bindingOf(String queue) {
		return this.bindings.getOrDefault(queue, this.binding);
	}

	public enum Binding {

		KAFKA, RABBITMQ

	}

}
