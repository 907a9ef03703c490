package dev.switchboard.platform.internal.queue.rabbit;

import java.io.IOException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.internal.messaging.DeadLetterCount;
import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.platform.messaging.CloudEventHeaders;
import dev.switchboard.platform.messaging.MalformedEventException;
import dev.switchboard.platform.internal.queue.Attempts;
import dev.switchboard.platform.queue.DeadLetterHeaders;
import dev.switchboard.platform.queue.MessageTooLargeException;
import dev.switchboard.platform.queue.QueueFullException;
import dev.switchboard.platform.queue.QueueHandler;
import dev.switchboard.platform.queue.QueueMessage;
import dev.switchboard.platform.queue.WorkQueueBinding;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Work queues on RabbitMQ, with its own features doing the work: a durable classic queue
 * per channel (classic because quorum queues of RabbitMQ 3.x have no priorities) with
 * {@code x-max-priority}, {@code x-max-length} and {@code x-overflow=reject-publish} (the
 * publisher confirm turns into a nack: {@link QueueFullException}), per-message TTL
 * ({@code expiration}) and a dead-letter exchange that moves expired messages to
 * {@code dlq.<queue>}; manual acknowledgement and a prefetch limit per consumer. Messages
 * that fail every attempt are published to the same dead-letter queue by the consumer,
 * with headers saying why.
 *
 * <p>
 * CloudEvents attributes travel as {@code ce_*} headers, as on Kafka (RabbitMQ speaks
 * AMQP 0-9-1, for which CloudEvents defines no binding), and the AMQP message id, type
 * and timestamp are set too.
 */
public final class RabbitWorkQueues implements WorkQueueBinding {

	private static final Logger log = LoggerFactory.getLogger(RabbitWorkQueues.class);

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How long a message is held while the infrastructure is away, well within RabbitMQ's
	 * consumer_timeout.
	 */
	private static final Duration MAX_HOLD = Duration.ofMinutes(10);

	private final CachingConnectionFactory connections;

	private final RabbitTemplate template;

	private final RabbitAdmin admin;

	/** RabbitMQ 4's default {@code max_message_size}. */
	public static final long DEFAULT_MAX_MESSAGE_BYTES = 16L * 1024 * 1024;

	private final String source;

	private final long maxMessageBytes;

	/**
	 * @param uri {@code amqp://user:password@host:port/vhost}
	 * @param source the CloudEvents source of sent messages (the application's name)
	 */
	public RabbitWorkQueues(URI uri, String source) {
		this(uri, source, DEFAULT_MAX_MESSAGE_BYTES);
	}

	/**
	 * @param maxMessageBytes the broker's {@code max_message_size}: a larger message is
	 * refused here, as the broker would refuse it by closing the channel (which its
	 * publisher confirm could not tell from a full queue)
	 */
	public RabbitWorkQueues(URI uri, String source, long maxMessageBytes) {
		this.source = source;
		this.maxMessageBytes = maxMessageBytes;
		this.connections = new CachingConnectionFactory(uri);
		verifyServer(this.connections.getRabbitConnectionFactory(), uri);
		this.connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		this.connections.setPublisherReturns(true);
		this.connections.setConnectionNameStrategy((factory) -> source + "-queues");
		this.template = new RabbitTemplate(this.connections);
		this.template.setMandatory(true);
		this.admin = new RabbitAdmin(this.connections);
	}

	/**
	 * Over {@code amqps://}, checks the server's certificate against the JVM's trusted
	 * authorities and its name against the URI's host. The client library, given such a
	 * URI, would otherwise encrypt without checking whom it talks to (it trusts every
	 * certificate).
	 */
	static void verifyServer(ConnectionFactory factory, URI uri) {
		if ("amqps".equalsIgnoreCase(uri.getScheme())) {
			try {
				factory.useSslProtocol(SSLContext.getDefault());
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("This JVM has no TLS", ex);
			}
			factory.enableHostnameVerification();
		}
	}

	@Override
	public long waiting(QueueSpec queue) {
		QueueInformation information;
		try {
			information = this.admin.getQueueInfo(queue.name());
		}
		catch (AmqpException ex) {
			throw new IllegalStateException("Could not count the messages of " + queue.name(), ex);
		}
		if (information == null) {
			throw new IllegalStateException("No queue " + queue.name() + " on the broker");
		}
		return information.getMessageCount();
	}

	@Override
	public void declare(QueueSpec queue) {
		Map<String, Object> arguments = new HashMap<>();
		arguments.put("x-dead-letter-exchange", "");
		arguments.put("x-dead-letter-routing-key", queue.deadLetterName());
		if (queue.maxLength() > 0) {
			arguments.put("x-max-length", queue.maxLength());
			arguments.put("x-overflow", "reject-publish");
		}
		if (queue.priorities() > 1) {
			arguments.put("x-max-priority", queue.priorities() - 1);
		}
		try {
			this.admin.declareQueue(new Queue(queue.deadLetterName(), true, false, false));
			this.admin.declareQueue(new Queue(queue.name(), true, false, false, arguments));
		}
		catch (AmqpException ex) {
			throw new IllegalStateException(
					"Could not declare queue " + queue.name() + " with " + arguments
							+ " (a queue of that name with other arguments must be deleted first): " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public CompletableFuture<Void> send(QueueSpec queue, QueueMessage message) {
		if (message.payload().length > this.maxMessageBytes) {
			return CompletableFuture
				.failedFuture(new MessageTooLargeException(queue.name() + ": a message of " + message.payload().length
						+ " bytes is over RabbitMQ's max_message_size of " + this.maxMessageBytes));
		}
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(message.id());
		properties.setType(message.type());
		properties.setTimestamp(java.util.Date.from(message.time()));
		properties.setAppId(this.source);
		properties.setContentType("application/protobuf");
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setPriority(Math.min(message.priority(), queue.priorities() - 1));
		properties.setHeader(CloudEventHeaders.ID, message.id());
		properties.setHeader(CloudEventHeaders.TYPE, message.type());
		properties.setHeader(CloudEventHeaders.SOURCE, this.source);
		properties.setHeader(CloudEventHeaders.SPEC_VERSION, "1.0");
		properties.setHeader(CloudEventHeaders.TIME, message.time().toString());
		properties.setHeader(CloudEventHeaders.SUBJECT, message.subject());
		if (message.dataschema() != null) {
			properties.setHeader(CloudEventHeaders.DATA_SCHEMA, message.dataschema());
		}
		if (message.traceparent() != null) {
			properties.setHeader(CloudEventHeaders.TRACEPARENT, message.traceparent());
		}
		if (message.expiresAt() != null) {
			long left = Math.max(0, Duration.between(Instant.now(), message.expiresAt()).toMillis());
			properties.setExpiration(Long.toString(left));
		}
		CorrelationData correlation = new CorrelationData(message.id());
		try {
			this.template.send("", queue.name(), new Message(message.payload(), properties), correlation);
		}
		catch (AmqpException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return correlation.getFuture().thenApply((confirm) -> {
			if (correlation.getReturned() != null) {
				throw new IllegalStateException("RabbitMQ has no queue " + queue.name() + " to route to: "
						+ correlation.getReturned().getReplyText());
			}
			if (!confirm.ack()) {
				// reject-publish is the only reason a classic queue nacks a publish.
				throw new QueueFullException(queue.name());
			}
			return null;
		});
	}

	@Override
	public Consumers consume(QueueSpec queue, int consumers, int prefetch, QueueHandler handler) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(this.connections);
		container.setQueueNames(queue.name());
		container.setBeanName(queue.name());
		container.setTaskExecutor(new SimpleAsyncTaskExecutor(queue.name() + "-"));
		container.setConcurrentConsumers(consumers);
		container.setPrefetchCount(prefetch);
		container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		container.setMessageListener(
				(ChannelAwareMessageListener) (message, channel) -> deliver(queue, handler, message, channel));
		container.afterPropertiesSet();
		container.start();
		return container::stop;
	}

	private void deliver(QueueSpec queue, QueueHandler handler, Message amqp, Channel channel) throws IOException {
		long tag = amqp.getMessageProperties().getDeliveryTag();
		QueueMessage message;
		try {
			message = decode(amqp);
		}
		catch (MalformedEventException ex) {
			settle(queue, amqp, channel, tag, new Attempts.Outcome.Dead(DeadLetterHeaders.MALFORMED, ex.toString(), 0));
			return;
		}
		// RabbitMQ lets a consumer hold a message for 30 minutes (consumer_timeout).
		settle(queue, amqp, channel, tag, Attempts.run(queue, message, handler, Instant.now().plus(MAX_HOLD)));
	}

	private void settle(QueueSpec queue, Message amqp, Channel channel, long tag, Attempts.Outcome outcome)
			throws IOException {
		switch (outcome) {
			case Attempts.Outcome.Done done -> channel.basicAck(tag, false);
			case Attempts.Outcome.Abandoned abandoned -> channel.basicNack(tag, false, true);
			case Attempts.Outcome.Released released -> channel.basicNack(tag, false, true);
			case Attempts.Outcome.Dead dead -> {
				if (deadLetter(queue, amqp, dead)) {
					channel.basicAck(tag, false);
				}
				else {
					channel.basicNack(tag, false, true);
				}
			}
		}
	}

	/** Publishes the message to the dead-letter queue and waits for the confirm. */
	private boolean deadLetter(QueueSpec queue, Message amqp, Attempts.Outcome.Dead dead) {
		MessageProperties properties = amqp.getMessageProperties();
		properties.setHeader(DeadLetterHeaders.REASON, dead.reason());
		properties.setHeader(DeadLetterHeaders.ERROR, dead.error());
		properties.setHeader(DeadLetterHeaders.ATTEMPTS, Integer.toString(dead.attempts()));
		properties.setHeader(DeadLetterHeaders.ORIGIN, queue.name());
		properties.setExpiration(null);
		CorrelationData correlation = new CorrelationData();
		try {
			this.template.send("", queue.deadLetterName(), new Message(amqp.getBody(), properties), correlation);
			if (correlation.getFuture().get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).ack()) {
				DeadLetterCount.record(queue.deadLetterName(), dead.reason());
				return true;
			}
			log.warn("{}: RabbitMQ refused the dead letter of {}; requeueing it", queue.name(),
					properties.getMessageId());
		}
		catch (AmqpException | ExecutionException | TimeoutException ex) {
			log.warn("{}: could not dead-letter {}; requeueing it: {}", queue.name(), properties.getMessageId(),
					ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return false;
	}

	static QueueMessage decode(Message amqp) {
		MessageProperties properties = amqp.getMessageProperties();
		String id = header(properties, CloudEventHeaders.ID);
		String type = header(properties, CloudEventHeaders.TYPE);
		String subject = header(properties, CloudEventHeaders.SUBJECT);
		String time = header(properties, CloudEventHeaders.TIME);
		if (id == null || type == null || subject == null || time == null) {
			throw new MalformedEventException("message lacks one of the headers ce_id, ce_type, ce_subject, ce_time");
		}
		try {
			Integer priority = properties.getPriority();
			return new QueueMessage(id, type, subject, Instant.parse(time), amqp.getBody(),
					(priority != null) ? priority : 0, null, header(properties, CloudEventHeaders.DATA_SCHEMA),
					header(properties, CloudEventHeaders.TRACEPARENT));
		}
		catch (DateTimeParseException ex) {
			throw new MalformedEventException("unreadable ce_time header: " + time, ex);
		}
	}

	private static String header(MessageProperties properties, String name) {
		Object value = properties.getHeader(name);
		return (value != null) ? value.toString() : null;
	}

	@Override
	public void close() {
		this.connections.destroy();
	}

}
