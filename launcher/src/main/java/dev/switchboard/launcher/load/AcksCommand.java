package dev.switchboard.launcher.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.DurationConverter;
import dev.switchboard.launcher.platform.PlatformRun;

/**
 * {@code switchboard bench acks}: how fast a consumer drains a queue when the broker
 * forgets a message as it sends it (auto-ack) and when the consumer acknowledges each one
 * after handling it (manual), on RabbitMQ and on a Kafka share group; optionally with a
 * handler that takes time ({@code --handling}) and fails a share of the messages the
 * first time it handles them ({@code --error-share}): a manual acknowledgement hands a
 * failed message back to the broker, which delivers it again; auto-ack and implicit
 * acknowledgement have already given it up, and it is lost. Which messages fail is drawn
 * from a fixed seed, so every mode and every run fails the same ones.
 */
@Command(name = "acks", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = { "Fills a queue with --messages persistent messages and times one consumer draining it, "
				+ "--runs times for each acknowledgement mode: on RabbitMQ auto-ack, a manual ack per message and "
				+ "one manual ack per 50 (multiple), with a prefetch of 250; on the platform's Kafka broker a share "
				+ "group acknowledging implicitly (with the next poll) and explicitly (each record), and as their "
				+ "baseline a plain consumer group committing its offset per poll. With --handling and "
				+ "--error-share the handler takes time and fails a share of the messages once: each mode's "
				+ "messages lost and delivered again are counted. Prints messages/s, the CPU per message of "
				+ "consumer and broker, and the messages lost and delivered again, and writes report.md to --out." })
final class AcksCommand implements Callable<Integer> {

	private static final int PAYLOAD_BYTES = 256;

	/** Which messages fail: the same ones in every mode and run. */
	private static final long FAILURE_SEED = 20261203L;

	private static final int PREFETCH = 250;

	private static final int MULTIPLE = 50;

	private static final String CLASSIC = "consumer group";

	@Spec
	CommandSpec spec;

	@Option(names = "--messages", paramLabel = "N", defaultValue = "20000",
			description = "messages in the queue each run (default ${DEFAULT-VALUE})")
	int messages;

	@Option(names = "--runs", paramLabel = "N", defaultValue = "3",
			description = "runs of each mode, for the spread (default ${DEFAULT-VALUE})")
	int runs;

	@Option(names = "--handling", paramLabel = "D", defaultValue = "0ms", converter = DurationConverter.class,
			description = "how long the consumer's handler takes per message (default ${DEFAULT-VALUE}: none)")
	Duration handling;

	@Option(names = "--error-share", paramLabel = "P", defaultValue = "0",
			description = "the share of messages (0 to 1) whose first handling fails (default ${DEFAULT-VALUE}): "
					+ "a manual ack hands them back to be delivered again, auto-ack and implicit "
					+ "acknowledgement lose them")
	double errorShare;

	@Option(names = "--rabbitmq", paramLabel = "URL",
			description = "the RabbitMQ to measure (default: the platform's when it runs with one, else "
					+ "amqp://guest:guest@127.0.0.1:5672; none reachable: RabbitMQ is skipped)")
	URI rabbitmq;

	@Mixin
	DataDirOption dataDir;

	@Option(names = "--out", paramLabel = "DIR",
			description = "where the report goes (default DIR/bench/acks-<date-time>)")
	Path out;

	/**
	 * One mode's runs: messages/s, CPU ms per message of consumer and broker, messages
	 * lost, messages delivered again.
	 */
	record Result(String broker, String mode, List<double[]> runs) {

		double[] column(int index) {
			return this.runs.stream().mapToDouble((run) -> run[index]).sorted().toArray();
		}

	}

	@Override
	public Integer call() throws Exception {
		if (this.messages < 1 || this.runs < 1) {
			throw new IllegalArgumentException("--messages and --runs must be at least 1");
		}
		if (!(this.errorShare >= 0 && this.errorShare <= 1)) {
			throw new IllegalArgumentException("--error-share must be between 0 and 1");
		}
		if (this.handling.isNegative()) {
			throw new IllegalArgumentException("--handling must not be negative");
		}
		Path dir = this.dataDir.path();
		Optional<PlatformRun> run = PlatformRun.read(dir.resolve("run"));
		Path outDir = (this.out != null) ? this.out : dir.resolve("bench")
			.resolve("acks-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		Files.createDirectories(outDir);
		ByteArrayOutputStream transcript = new ByteArrayOutputStream();
		PrintStream both = new PrintStream(new Bench.Tee(System.out, transcript), true, StandardCharsets.UTF_8);
		both.printf("switchboard %s%n", String.join(" ", this.spec.commandLine().getParseResult().originalArgs()));
		both.printf("machine: %s%n", MachineFacts.describe());
		both.printf("%d persistent messages of %d B a run, one consumer%n", this.messages, PAYLOAD_BYTES);
		if (this.errorShare > 0 || !this.handling.isZero()) {
			both.printf(
					"the handler takes %d ms a message and fails %d of them (%.1f%%) the first time it handles "
							+ "them%n",
					this.handling.toMillis(), Handler.plan(this.messages, this.errorShare).failing(),
					this.errorShare * 100);
		}
		List<Result> results = new ArrayList<>();
		URI rabbit = rabbitUri(dir.resolve("run"));
		ProcessCpu rabbitCpu = new ProcessCpu(
				List.of(self(), new ProcessCpu.Group("broker", AcksCommand::rabbitPid, false)));
		try {
			ConnectionFactory factory = new ConnectionFactory();
			factory.setUri(rabbit);
			try (Connection connection = factory.newConnection("switchboard-bench-acks")) {
				both.printf("%nRabbitMQ %s (%s):%n", connection.getServerProperties().get("version"),
						rabbit.getHost() + ":" + rabbit.getPort());
				for (String mode : List.of("auto-ack", "manual ack, each", "manual ack, multiple per " + MULTIPLE)) {
					results.add(measure("RabbitMQ", mode, rabbitCpu, both,
							(handler) -> rabbitRun(connection, mode, handler)));
				}
			}
		}
		catch (java.io.IOException | java.util.concurrent.TimeoutException ex) {
			both.printf("%nRabbitMQ at %s:%d not reachable (%s): skipped%n", rabbit.getHost(), rabbit.getPort(),
					ex.getMessage());
		}
		if (run.isPresent()) {
			Map<String, Object> kafka = PlatformRun.kafkaClient(dir.resolve("run"));
			Path kafkaPid = dev.switchboard.launcher.platform.RunningServices.pidFile(dir.resolve("run"), Bench.KAFKA);
			ProcessCpu kafkaCpu = new ProcessCpu(
					List.of(self(), new ProcessCpu.Group("broker", () -> Bench.pidIn(kafkaPid), false)));
			both.printf("%nKafka share group on the platform's broker:%n");
			for (String mode : List.of("implicit", "explicit")) {
				results.add(measure("Kafka share group", mode + " acknowledgement", kafkaCpu, both,
						(handler) -> kafkaRun(kafka, mode, handler)));
			}
			// The baseline: the same records read by a plain consumer group.
			results.add(measure("Kafka consumer group", "offset committed per poll (baseline)", kafkaCpu, both,
					(handler) -> kafkaRun(kafka, CLASSIC, handler)));
		}
		else {
			both.printf("%nno platform on %s: the Kafka share group is skipped%n", dir);
		}
		print(results, both);
		Files.writeString(outDir.resolve("report.md"), "# switchboard bench acks\n\n```\n" + transcript + "```\n");
		System.out.printf("report: %s%n", outDir.resolve("report.md"));
		return 0;
	}

	@FunctionalInterface
	private interface Drain {

		/**
		 * Fills a new queue, then drains it through {@code handler}: the seconds the
		 * draining took.
		 */
		double run(Handler handler) throws Exception;

	}

	/**
	 * The consumer's handler: takes {@code --handling} per message and fails the planned
	 * ones the first time; counts what each mode did with them.
	 */
	static final class Handler {

		private final Duration handling;

		private final boolean[] failsFirst;

		private final boolean[] failed;

		/** Handled successfully, and given up with a failed handling (lost). */
		int handled;

		int lost;

		/** Handed back to the broker after a failed handling, to be delivered again. */
		int redelivered;

		Handler(int messages, double errorShare, Duration handling) {
			this.failsFirst = plan(messages, errorShare).failsFirst();
			this.failed = new boolean[messages];
			this.handling = handling;
		}

		record Plan(boolean[] failsFirst, int failing) {
		}

		/** Which of the messages fail their first handling, from a fixed seed. */
		static Plan plan(int messages, double errorShare) {
			java.util.SplittableRandom random = new java.util.SplittableRandom(FAILURE_SEED);
			boolean[] fails = new boolean[messages];
			int failing = 0;
			for (int i = 0; i < messages; i++) {
				fails[i] = random.nextDouble() < errorShare;
				failing += fails[i] ? 1 : 0;
			}
			return new Plan(fails, failing);
		}

		/** Handles message {@code sequence}: whether that succeeded. */
		boolean handle(byte[] body) {
			if (!this.handling.isZero()) {
				try {
					Thread.sleep(this.handling);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted while handling", ex);
				}
			}
			int sequence = java.nio.ByteBuffer.wrap(body).getInt();
			if (this.failsFirst[sequence] && !this.failed[sequence]) {
				this.failed[sequence] = true;
				return false;
			}
			return true;
		}

		/** Whether every message was either handled or lost. */
		boolean done(int messages) {
			return this.handled + this.lost == messages;
		}

	}

	/** The payload of message {@code sequence}: its number, then zeros. */
	private static byte[] payload(int sequence) {
		return java.nio.ByteBuffer.allocate(PAYLOAD_BYTES).putInt(sequence).array();
	}

	private Result measure(String broker, String mode, ProcessCpu cpu, PrintStream out, Drain drain) throws Exception {
		out.printf("  %-38s", mode);
		drain.run(handler()); // warm-up
		List<double[]> runs = new ArrayList<>();
		for (int i = 0; i < this.runs; i++) {
			Map<String, ProcessCpu.Usage> before = cpu.read();
			Handler handler = handler();
			double seconds = drain.run(handler);
			Map<String, ProcessCpu.Usage> used = ProcessCpu.difference(cpu.read(), before);
			// CPU over the run (fill and drain): per message, both sides.
			runs.add(new double[] { this.messages / seconds, used.get("self").total() * 1000 / this.messages,
					used.get("broker").total() * 1000 / this.messages, handler.lost, handler.redelivered });
			out.print(".");
		}
		Result result = new Result(broker, mode, runs);
		out.printf(" %s messages/s", Hops.spread(result.column(0), "%.0f"));
		if (this.errorShare > 0) {
			out.printf(", lost %s, delivered again %s", Hops.spread(result.column(3), "%.0f"),
					Hops.spread(result.column(4), "%.0f"));
		}
		out.println();
		return result;
	}

	private Handler handler() {
		return new Handler(this.messages, this.errorShare, this.handling);
	}

	private double rabbitRun(Connection connection, String mode, Handler handler) throws Exception {
		try (Channel channel = connection.createChannel()) {
			String queue = "switchboard.bench.acks." + System.nanoTime();
			channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "classic"));
			channel.confirmSelect();
			for (int i = 0; i < this.messages; i++) {
				channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), payload(i));
			}
			channel.waitForConfirmsOrDie(60_000);
			boolean auto = mode.startsWith("auto");
			boolean multiple = mode.contains("multiple");
			if (!auto) {
				channel.basicQos(PREFETCH);
			}
			CountDownLatch drained = new CountDownLatch(1);
			int total = this.messages;
			long start = System.nanoTime();
			String tag = channel.basicConsume(queue, auto, new DefaultConsumer(channel) {
				/** Handled since the last multiple ack. */
				private int unacked;

				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) throws java.io.IOException {
					if (handler.handle(body)) {
						handler.handled++;
						this.unacked++;
						if (!auto && (!multiple || this.unacked == MULTIPLE || handler.done(total))) {
							getChannel().basicAck(envelope.getDeliveryTag(), multiple);
							this.unacked = 0;
						}
					}
					else if (auto) {
						handler.lost++;
					}
					else {
						// Back to the queue, delivered again (this one alone, even when
						// the
						// others are acknowledged together).
						getChannel().basicNack(envelope.getDeliveryTag(), false, true);
						handler.redelivered++;
					}
					if (handler.done(total)) {
						drained.countDown();
					}
				}
			});
			if (!drained.await(drainLimit().toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("RabbitMQ's consumer handled " + handler.handled + " and lost "
						+ handler.lost + " of " + total + " messages in " + drainLimit().toSeconds() + " s");
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			channel.basicCancel(tag);
			channel.queueDelete(queue);
			return seconds;
		}
	}

	private double kafkaRun(Map<String, Object> common, String mode, Handler handler) throws Exception {
		String topic = "switchboard.bench.acks." + System.nanoTime();
		try (Admin admin = Admin.create(common)) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1))).all().get(30, TimeUnit.SECONDS);
			boolean classic = mode.equals(CLASSIC);
			if (!classic) {
				admin
					.incrementalAlterConfigs(
							Map.of(new ConfigResource(ConfigResource.Type.GROUP, topic),
									List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
											AlterConfigOp.OpType.SET))))
					.all()
					.get(30, TimeUnit.SECONDS);
			}
			Properties producerConfig = new Properties();
			producerConfig.putAll(common);
			producerConfig.putAll(Map.of("acks", "all", "enable.idempotence", "true", "linger.ms", "5"));
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
					new ByteArraySerializer())) {
				for (int i = 0; i < this.messages; i++) {
					producer.send(new ProducerRecord<>(topic, payload(i)));
				}
				producer.flush();
			}
			Properties consumerConfig = new Properties();
			consumerConfig.putAll(common);
			try {
				if (classic) {
					// The baseline: a plain consumer group, committing per poll.
					consumerConfig.putAll(
							Map.of("group.id", topic, "auto.offset.reset", "earliest", "enable.auto.commit", "false"));
					try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig,
							new StringDeserializer(), new ByteArrayDeserializer())) {
						consumer.subscribe(List.of(topic));
						return drain("the consumer group", handler, () -> {
							ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(100));
							for (ConsumerRecord<String, byte[]> record : polled) {
								// A log's consumer that moves on past a failed record
								// (its
								// offset committed below) loses it.
								if (handler.handle(record.value())) {
									handler.handled++;
								}
								else {
									handler.lost++;
								}
							}
							if (!polled.isEmpty()) {
								consumer.commitSync(Duration.ofSeconds(30));
							}
						});
					}
				}
				consumerConfig.putAll(Map.of("group.id", topic, "share.acknowledgement.mode", mode));
				boolean explicit = mode.equals("explicit");
				try (KafkaShareConsumer<String, byte[]> consumer = new KafkaShareConsumer<>(consumerConfig,
						new StringDeserializer(), new ByteArrayDeserializer())) {
					consumer.subscribe(List.of(topic));
					double seconds = drain("the share group", handler, () -> {
						for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
							if (handler.handle(record.value())) {
								handler.handled++;
								if (explicit) {
									consumer.acknowledge(record, AcknowledgeType.ACCEPT);
								}
							}
							else if (explicit) {
								// Released: the broker delivers it again.
								consumer.acknowledge(record, AcknowledgeType.RELEASE);
								handler.redelivered++;
							}
							else {
								// Implicit acknowledgement accepts it with the next poll.
								handler.lost++;
							}
						}
					});
					consumer.commitSync(Duration.ofSeconds(30));
					return seconds;
				}
			}
			finally {
				admin.deleteTopics(List.of(topic));
			}
		}
	}

	/**
	 * Polls with {@code poll} until every message of the run is handled or lost: the
	 * seconds that took.
	 */
	private double drain(String who, Handler handler, Runnable poll) {
		long start = System.nanoTime();
		long deadline = start + drainLimit().toNanos();
		while (!handler.done(this.messages)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(who + " handled " + handler.handled + " and lost " + handler.lost
						+ " of " + this.messages + " records in " + drainLimit().toSeconds() + " s");
			}
			poll.run();
		}
		return (System.nanoTime() - start) / 1e9;
	}

	/** How long one drain may take: 120 s, plus the handling time of every message. */
	private Duration drainLimit() {
		return Duration.ofSeconds(120).plus(this.handling.multipliedBy((long) (this.messages * (1 + this.errorShare))));
	}

	private void print(List<Result> results, PrintStream out) {
		boolean faults = this.errorShare > 0;
		out.printf("%n%-20s %-38s %-26s %-22s %-22s%s%n", "broker", "mode", "messages/s (runs)", "consumer CPU µs/msg",
				"broker CPU µs/msg", faults ? " lost (runs)      delivered again (runs)" : "");
		for (Result result : results) {
			out.printf("%-20s %-38s %-26s %-22s %-22s%s%n", result.broker(), result.mode(),
					Hops.spread(result.column(0), "%.0f"), Hops.spread(times(result.column(1), 1000), "%.1f"),
					Hops.spread(times(result.column(2), 1000), "%.1f"), faults ? String.format(" %-16s %s",
							Hops.spread(result.column(3), "%.0f"), Hops.spread(result.column(4), "%.0f")) : "");
		}
		out.println("(CPU over filling and draining, per message; the broker's only when it runs on this machine)");
	}

	private static double[] times(double[] values, double factor) {
		return Arrays.stream(values).map((value) -> value * factor).sorted().toArray();
	}

	private URI rabbitUri(Path runDir) throws java.io.IOException {
		if (this.rabbitmq != null) {
			return this.rabbitmq;
		}
		Path file = PlatformRun.rabbitmqFile(runDir);
		if (Files.exists(file)) {
			return URI.create(Files.readString(file).strip());
		}
		return URI.create("amqp://guest:guest@127.0.0.1:5672");
	}

	private static ProcessCpu.Group self() {
		return new ProcessCpu.Group("self", () -> OptionalLong.of(ProcessHandle.current().pid()), false);
	}

	/** The local RabbitMQ's Erlang VM, when one runs on this machine. */
	private static OptionalLong rabbitPid() {
		return ProcessHandle.allProcesses()
			.filter((process) -> process.info().command().map((command) -> command.endsWith("beam.smp")).orElse(false))
			.findFirst()
			.map((process) -> OptionalLong.of(process.pid()))
			.orElse(OptionalLong.empty());
	}

}
