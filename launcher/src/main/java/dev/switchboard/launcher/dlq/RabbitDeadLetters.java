package dev.switchboard.launcher.dlq;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * {@code switchboard dlq} for work queues carried by RabbitMQ: their dead letters are the
 * queue {@code dlq.<queue>}, written by the platform's consumers (with {@code dlq-*}
 * headers) or by the broker's dead-letter exchange when a message expired (with
 * RabbitMQ's {@code x-first-death-*} headers).
 *
 * <p>
 * AMQP has no way to read a queue without taking its messages: {@code show} takes them
 * unacknowledged and closes its channel, which puts them all back; {@code replay}
 * acknowledges each dead letter only after the broker confirmed its copy on the origin
 * queue.
 */
final class RabbitDeadLetters implements AutoCloseable {

	static final String DEAD_LETTER_PREFIX = "dlq.";

	private static final String QUEUE_DLQ_PREFIX = "dlq-";

	private static final String BROKER_DEATH_PREFIX = "x-";

	private final Connection connection;

	RabbitDeadLetters(URI uri) throws IOException {
		ConnectionFactory factory = new ConnectionFactory();
		try {
			factory.setUri(uri);
		}
		catch (java.security.GeneralSecurityException | java.net.URISyntaxException ex) {
			throw new IllegalArgumentException("unusable RabbitMQ URI " + uri.getHost() + ": " + ex.getMessage(), ex);
		}
		if ("amqps".equalsIgnoreCase(uri.getScheme())) {
			// Check whom it talks to: given an amqps URI alone, the client trusts every
			// certificate.
			try {
				factory.useSslProtocol(javax.net.ssl.SSLContext.getDefault());
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException("This JVM has no TLS", ex);
			}
			factory.enableHostnameVerification();
		}
		factory.setConnectionTimeout(5_000);
		try {
			this.connection = factory.newConnection("switchboard-dlq");
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("RabbitMQ at " + uri.getHost() + ":" + factory.getPort()
					+ " does not answer (" + ex.getMessage() + ")", ex);
		}
	}

	/**
	 * How many dead letters {@code queue} has, or -1 when it has no dead-letter queue
	 * here.
	 */
	long count(String queue) throws IOException {
		return count(queue, DEAD_LETTER_PREFIX);
	}

	private long count(String queue, String prefix) throws IOException {
		Channel channel = this.connection.createChannel();
		try {
			return channel.queueDeclarePassive(prefix + queue).getMessageCount();
		}
		catch (IOException ex) {
			// The broker answers a missing queue by closing the channel.
			return -1;
		}
		finally {
			closeQuietly(channel);
		}
	}

	void show(String queue, int limit, PrintStream out) throws IOException {
		Channel channel = this.connection.createChannel();
		try {
			long total = channel.queueDeclarePassive(DEAD_LETTER_PREFIX + queue).getMessageCount();
			List<GetResponse> taken = new ArrayList<>();
			GetResponse response;
			while (taken.size() < Math.min(limit, total)
					&& (response = channel.basicGet(DEAD_LETTER_PREFIX + queue, false)) != null) {
				taken.add(response);
			}
			out.printf("%d record%s (RabbitMQ queue %s%s)%n", total, total == 1 ? "" : "s", DEAD_LETTER_PREFIX + queue,
					taken.size() < total ? ", showing the first " + taken.size() : "");
			for (GetResponse letter : taken) {
				AMQP.BasicProperties properties = letter.getProps();
				Instant time = (properties.getTimestamp() != null) ? properties.getTimestamp().toInstant() : null;
				out.printf("%n%s  written %s%n", DEAD_LETTER_PREFIX + queue, (time != null) ? time : "(not recorded)");
				out.printf("  type     %s%n", header(properties, "ce_type"));
				out.printf("  id       %s%n", header(properties, "ce_id"));
				out.printf("  subject  %s%n", header(properties, "ce_subject"));
				out.printf("  from     queue %s%n", originOf(properties, queue));
				if (header(properties, QUEUE_DLQ_PREFIX + "reason") != null) {
					out.printf("  attempts %s%n", header(properties, QUEUE_DLQ_PREFIX + "attempts"));
					out.printf("  reason   %s: %s%n", header(properties, QUEUE_DLQ_PREFIX + "reason"),
							KafkaDeadLetters.oneLine(header(properties, QUEUE_DLQ_PREFIX + "error")));
				}
				else {
					out.printf("  reason   %s (by the broker)%n", header(properties, "x-first-death-reason"));
				}
			}
		}
		finally {
			// Unacknowledged, every message taken goes back to the queue.
			closeQuietly(channel);
		}
	}

	/** Sends each dead letter back to its queue; returns how many went. */
	void replay(String queue, PrintStream out) throws IOException {
		Channel channel = this.connection.createChannel();
		Map<String, Integer> byQueue = new HashMap<>();
		int replayed = 0;
		try {
			channel.confirmSelect();
			// Only what is there now: a replayed message that fails again comes back
			// while this runs, and must not be replayed in a loop.
			long present = channel.queueDeclarePassive(DEAD_LETTER_PREFIX + queue).getMessageCount();
			GetResponse letter;
			while (replayed < present && (letter = channel.basicGet(DEAD_LETTER_PREFIX + queue, false)) != null) {
				String origin = originOf(letter.getProps(), queue);
				if (!byQueue.containsKey(origin) && count(origin, "") < 0) {
					// Published to a missing queue, the message would be dropped, not
					// refused.
					throw new IllegalStateException("queue " + origin + " does not exist on RabbitMQ; replayed "
							+ replayed + " before it, the rest stay in " + DEAD_LETTER_PREFIX + queue);
				}
				channel.basicPublish("", origin, redriven(letter.getProps()), letter.getBody());
				try {
					channel.waitForConfirmsOrDie(30_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted while replaying; the unconfirmed message stays", ex);
				}
				catch (TimeoutException ex) {
					throw new IllegalStateException(
							"RabbitMQ did not confirm a replayed message; it stays in " + DEAD_LETTER_PREFIX + queue,
							ex);
				}
				channel.basicAck(letter.getEnvelope().getDeliveryTag(), false);
				byQueue.merge(origin, 1, Integer::sum);
				replayed++;
			}
		}
		finally {
			closeQuietly(channel);
		}
		out.printf("replayed %d record%s of %s to %s%n", replayed, replayed == 1 ? "" : "s", queue,
				byQueue.isEmpty() ? "nothing" : byQueue);
	}

	void purge(String queue, PrintStream out) throws IOException {
		Channel channel = this.connection.createChannel();
		try {
			int removed = channel.queuePurge(DEAD_LETTER_PREFIX + queue).getMessageCount();
			out.printf("purged %d record%s from %s%n", removed, removed == 1 ? "" : "s", queue);
		}
		finally {
			closeQuietly(channel);
		}
	}

	/**
	 * The message as it was first sent: without the dead-letter headers, and without an
	 * expiry (replaying an expired message says it is still wanted).
	 */
	private static AMQP.BasicProperties redriven(AMQP.BasicProperties properties) {
		Map<String, Object> headers = new HashMap<>();
		if (properties.getHeaders() != null) {
			properties.getHeaders().forEach((name, value) -> {
				if (!name.startsWith(QUEUE_DLQ_PREFIX) && !name.startsWith(BROKER_DEATH_PREFIX)) {
					headers.put(name, value);
				}
			});
		}
		return properties.builder().headers(headers).expiration(null).build();
	}

	private static String originOf(AMQP.BasicProperties properties, String queue) {
		String origin = header(properties, QUEUE_DLQ_PREFIX + "origin");
		if (origin == null) {
			origin = header(properties, "x-first-death-queue");
		}
		return (origin != null) ? origin : queue;
	}

	private static String header(AMQP.BasicProperties properties, String name) {
		Object value = (properties.getHeaders() != null) ? properties.getHeaders().get(name) : null;
		return (value != null) ? value.toString() : null;
	}

	private static void closeQuietly(Channel channel) {
		try {
			if (channel.isOpen()) {
				channel.close();
			}
		}
		catch (IOException | TimeoutException | com.rabbitmq.client.AlreadyClosedException ex) {
			// Closing is all that was left to do.
		}
	}

	@Override
	public void close() throws IOException {
		this.connection.close();
	}

}
