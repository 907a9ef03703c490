package dev.switchboard.launcher.dlq;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.EnvironmentDefaults;
import dev.switchboard.launcher.Switchboard;
import dev.switchboard.launcher.platform.PlatformRun;

/**
 * {@code switchboard dlq list|show|replay|purge}: the dead letters of a running platform,
 * wherever they are kept: Kafka dead-letter topics ({@link KafkaDeadLetters}), RabbitMQ
 * dead-letter queues ({@link RabbitDeadLetters}), and the rows outbox relays set aside
 * ({@link DeadOutboxes}). This class reads the command and sends it to the right one.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
		description = "Lists, shows, replays and purges the platform's dead letters.",
		footer = { "", "CHANNEL is <topic>.<consumer group>, a work queue's name, or outbox.<service> (the rows a "
				+ "service's outbox relay set aside because the broker refuses them for good: too large, a queue the "
				+ "service does not declare; replay puts them back into its outbox), as `list` prints it.",
				"--kafka and --rabbitmq default to the brokers of the platform running on --data-dir, and a work queue "
						+ "is looked up on the broker that platform carries it on; a RabbitMQ named with --rabbitmq is "
						+ "searched first for the work queues it has dead letters of." })
public final class DlqCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	private final Action action;

	public DlqCommand() {
		this((request) -> run(request, System.out));
	}

	public DlqCommand(Action action) {
		this.action = action;
	}

	@Override
	public Integer call() {
		throw new ParameterException(this.spec.commandLine(), "say what to do: list, show, replay or purge");
	}

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "Every dead-letter channel with how many records it holds.")
	int list(@Mixin Brokers brokers) throws Exception {
		return this.action.run(brokers.request("list", null, 20));
	}

	@Command(name = "show", mixinStandardHelpOptions = true,
			description = "The records of CHANNEL: what they are, where from, and why they failed.")
	int show(@Parameters(paramLabel = "CHANNEL") String channel,
			@Option(names = "--limit", paramLabel = "N", defaultValue = "20",
					description = "show the first N (default ${DEFAULT-VALUE})") int limit,
			@Mixin Brokers brokers) throws Exception {
		if (limit < 1 || limit > 999_999) {
			throw new IllegalArgumentException("--limit must be a whole number from 1, was " + limit);
		}
		return this.action.run(brokers.request("show", channel, limit));
	}

	@Command(name = "replay", mixinStandardHelpOptions = true,
			description = { "Publishes the records of CHANNEL again to the topic or queue they came from, with their "
					+ "original key, event id and headers, then removes them from the channel; every consumer group "
					+ "of a topic sees them again, and those that applied them before skip them by event id." })
	int replay(@Parameters(paramLabel = "CHANNEL") String channel, @Mixin Brokers brokers) throws Exception {
		return this.action.run(brokers.request("replay", channel, 20));
	}

	@Command(name = "purge", mixinStandardHelpOptions = true, description = "Removes every record of CHANNEL.")
	int purge(@Parameters(paramLabel = "CHANNEL") String channel, @Mixin Brokers brokers) throws Exception {
		return this.action.run(brokers.request("purge", channel, 20));
	}

	/** What a parsed command does: run it, or (for tests) keep it. */
	interface Action {

		int run(Request request) throws Exception;

	}

	/** Where the dead letters are: the platform's data directory, or brokers named. */
	static final class Brokers {

		@Mixin
		DataDirOption dataDir;

		@Option(names = "--kafka", paramLabel = "BOOTSTRAP",
				description = "the Kafka cluster (default: the platform's; env SWITCHBOARD_KAFKA)")
		String kafka;

		@Option(names = "--rabbitmq", paramLabel = "AMQP_URI",
				description = "a RabbitMQ to search first (default: the platform's; env SWITCHBOARD_RABBITMQ)")
		String rabbitmq;

		Request request(String action, String channel, int limit) {
			if (this.rabbitmq != null && !this.rabbitmq.matches("amqps?://[^/]+.*")) {
				throw new IllegalArgumentException(
						"--rabbitmq must be an amqp:// or amqps:// URI, was " + this.rabbitmq);
			}
			return new Request(action, (channel != null) ? KafkaDeadLetters.channelOf(channel) : null, limit,
					this.dataDir.path(), this.kafka, this.rabbitmq);
		}

	}

	public record Request(String action, String channel, int limit, Path dataDir, String kafka, String rabbitmq) {

		/**
		 * Reads {@code dlq}'s command line with defaults from {@code env}, without acting
		 * on it.
		 * @throws IllegalArgumentException for anything wrong on it
		 */
		public static Request parse(List<String> args, Map<String, String> env) {
			Request[] parsed = { null };
			CommandLine commandLine = new CommandLine(new DlqCommand((request) -> {
				parsed[0] = request;
				return 0;
			})).setDefaultValueProvider(new EnvironmentDefaults(env));
			try {
				Switchboard.run(commandLine, args);
			}
			catch (IllegalArgumentException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return parsed[0];
		}

		/** The RabbitMQ to look in: the one named, or the running platform's, or none. */
		URI rabbitmqUri() throws IOException {
			if (this.rabbitmq != null && !this.rabbitmq.isBlank()) {
				return URI.create(this.rabbitmq);
			}
			Path file = PlatformRun.rabbitmqFile(this.dataDir.resolve("run"));
			return Files.exists(file) ? URI.create(Files.readString(file).strip()) : null;
		}

		/** Whether a RabbitMQ was named, rather than taken from the running platform. */
		boolean rabbitmqNamed() {
			return this.rabbitmq != null && !this.rabbitmq.isBlank();
		}

		/**
		 * The broker the running platform carries each work queue on; empty without one.
		 */
		Map<String, String> platformBindings() throws IOException {
			Path file = PlatformRun.queueBindingsFile(this.dataDir.resolve("run"));
			Map<String, String> bindings = new HashMap<>();
			if (Files.exists(file)) {
				for (String line : Files.readAllLines(file)) {
					String[] queueAndBinding = line.strip().split("=", 2);
					if (queueAndBinding.length == 2) {
						bindings.put(queueAndBinding[0], queueAndBinding[1]);
					}
				}
			}
			return bindings;
		}

		/**
		 * How to connect to Kafka: the broker named with {@code --kafka}, or the running
		 * platform's, as its operator.
		 */
		Map<String, Object> kafkaClient() throws IOException {
			if (this.kafka != null && !this.kafka.isBlank()) {
				return Map.of("bootstrap.servers", this.kafka);
			}
			Path file = PlatformRun.kafkaClientFile(this.dataDir.resolve("run"));
			if (!Files.exists(file)) {
				throw new IllegalStateException("no running platform found in " + this.dataDir
						+ " (is ./switchboard up running there?); or name the broker with --kafka");
			}
			return PlatformRun.kafkaClient(this.dataDir.resolve("run"));
		}

	}

	/**
	 * Does what the request says, on the broker (or outbox) that holds the channel's dead
	 * letters.
	 */
	static int run(Request request, PrintStream out) throws IOException, InterruptedException {
		// Before the Kafka clients create their loggers: their warnings go to the
		// platform's log directory, not to a ./var in whatever directory this runs from.
		if (System.getProperty("switchboard.log.dir") == null) {
			System.setProperty("switchboard.log.dir", request.dataDir().resolve("logs").toString());
		}
		if (request.channel() != null && DeadOutboxes.isChannel(request.channel())) {
			return onOutbox(request, out);
		}
		URI rabbitmq = request.rabbitmqUri();
		try (RabbitDeadLetters rabbit = (rabbitmq != null) ? new RabbitDeadLetters(rabbitmq) : null) {
			if (rabbit != null && !request.action().equals("list")) {
				long onRabbitMQ = rabbit.count(request.channel());
				if (onRabbitMQ(request, request.channel(), onRabbitMQ)) {
					if (onRabbitMQ < 0) {
						throw new IllegalArgumentException("no dead-letter queue " + KafkaDeadLetters.DEAD_LETTER_PREFIX
								+ request.channel() + " on RabbitMQ yet (the consumers of " + request.channel()
								+ " declare it when they start)");
					}
					switch (request.action()) {
						case "show" -> rabbit.show(request.channel(), request.limit(), out);
						case "replay" -> rabbit.replay(request.channel(), out);
						case "purge" -> rabbit.purge(request.channel(), out);
						default -> throw new IllegalStateException(request.action());
					}
					return 0;
				}
			}
			return KafkaDeadLetters.run(request, rabbit, out);
		}
	}

	private static int onOutbox(Request request, PrintStream out) {
		DeadOutboxes outboxes = deadOutboxes(request).orElseThrow(() -> new IllegalStateException(
				"no running platform found in " + request.dataDir() + " (is ./switchboard up running there?)"));
		try {
			switch (request.action()) {
				case "show" -> outboxes.show(request.channel(), request.limit(), out);
				case "replay" -> outboxes.replay(request.channel(), out);
				case "purge" -> outboxes.purge(request.channel(), out);
				default -> throw new IllegalStateException(request.action());
			}
			return 0;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL refused: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The dead outboxes of the platform running on the request's data directory, if one
	 * runs there.
	 */
	static Optional<DeadOutboxes> deadOutboxes(Request request) {
		return PlatformRun.read(request.dataDir().resolve("run")).map((run) -> new DeadOutboxes(run.databases()));
	}

	/**
	 * Whether the dead letters of {@code queue} are looked up on RabbitMQ, given how many
	 * it holds there (-1: no dead-letter queue there). A RabbitMQ the user named is
	 * searched first; otherwise the running platform's binding decides, so that dead
	 * letters another run left on a broker this one does not use for the queue cannot
	 * hide its own.
	 */
	static boolean onRabbitMQ(Request request, String queue, long onRabbitMQ) throws IOException {
		String binding = request.platformBindings().get(queue);
		if (request.rabbitmqNamed() || binding == null) {
			return onRabbitMQ >= 0;
		}
		return binding.equals("rabbitmq");
	}

}
