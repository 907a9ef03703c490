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
import dev.switchboard.launcher.platform.PlatformRun;

/**
 * {@code switchboard bench acks}: how fast a consumer drains a queue when the broker
 * forgets a message as it sends it (auto-ack) and when the consumer acknowledges each one
 * after handling it (manual), on RabbitMQ and on a Kafka share group.
 */
@Command(name = "acks", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = { "Fills a queue with --messages persistent messages and times one consumer draining it, "
				+ "--runs times for each acknowledgement mode: on RabbitMQ auto-ack, a manual ack per message and "
				+ "one manual ack per 50 (multiple), with a prefetch of 250; on the platform's Kafka broker a share "
				+ "group acknowledging implicitly (with the next poll) and explicitly (each record), and as their "
				+ "baseline a plain consumer group committing its offset per poll. Prints "
				+ "messages/s and the CPU per message of consumer and broker, and writes report.md to --out." })
final class AcksCommand implements Callable<Integer> {

	private static final byte[] PAYLOAD = new byte[256];

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

	@Option(names = "--rabbitmq", paramLabel = "URL",
			description = "the RabbitMQ to measure (default: the platform's when it runs with one, else "
					+ "amqp://guest:guest@127.0.0.1:5672; none reachable: RabbitMQ is skipped)")
	URI rabbitmq;

	@Mixin
	DataDirOption dataDir;

	@Option(names = "--out", paramLabel = "DIR",
			description = "where the report goes (default DIR/bench/acks-<date-time>)")
	Path out;

	/** One mode's runs: messages/s and CPU ms per message of consumer and broker. */
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
		Path dir = this.dataDir.path();
		Optional<PlatformRun> run = PlatformRun.read(dir.resolve("run"));
		Path outDir = (this.out != null) ? this.out : dir.resolve("bench")
			.resolve("acks-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		Files.createDirectories(outDir);
		ByteArrayOutputStream transcript = new ByteArrayOutputStream();
		PrintStream both = new PrintStream(new Bench.Tee(System.out, transcript), true, StandardCharsets.UTF_8);
		both.printf("switchboard %s%n", String.join(" ", this.spec.commandLine().getParseResult().originalArgs()));
		both.printf("machine: %s%n", MachineFacts.describe());
		both.printf("%d persistent messages of %d B a run, one consumer%n", this.messages, PAYLOAD.length);
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
					results.add(measure("RabbitMQ", mode, rabbitCpu, both, () -> rabbitRun(connection, mode)));
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
						() -> kafkaRun(kafka, mode)));
			}
			// The baseline: the same records read by a plain consumer group.
			results.add(measure("Kafka consumer group", "offset committed per poll (baseline)", kafkaCpu, both,
					() -> kafkaRun(kafka, CLASSIC)));
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

		/** Fills a new queue, then drains it: the seconds the draining took. */
		double run() throws Exception;

	}

	private Result measure(String broker, String mode, ProcessCpu cpu, PrintStream out, Drain drain) throws Exception {
		out.printf("  %-38s", mode);
		drain.run(); // warm-up
		List<double[]> runs = new ArrayList<>();
		for (int i = 0; i < this.runs; i++) {
			Map<String, ProcessCpu.Usage> before = cpu.read();
			double seconds = drain.run();
			Map<String, ProcessCpu.Usage> used = ProcessCpu.difference(cpu.read(), before);
			// CPU over the run (fill and drain): per message, both sides.
			runs.add(new double[] { this.messages / seconds, used.get("self").total() * 1000 / this.messages,
					used.get("broker").total() * 1000 / this.messages });
			out.print(".");
		}
		Result result = new Result(broker, mode, runs);
		out.printf(" %s messages/s%n", Hops.spread(result.column(0), "%.0f"));
		return result;
	}

	private double rabbitRun(Connection connection, String mode) throws Exception {
		try (Channel channel = connection.createChannel()) {
			String queue = "switchboard.bench.acks." + System.nanoTime();
			channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "classic"));
			channel.confirmSelect();
			for (int i = 0; i < this.messages; i++) {
				channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), PAYLOAD);
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
				private int received;

				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) throws java.io.IOException {
					this.received++;
					if (!auto && (!multiple || this.received % MULTIPLE == 0 || this.received == total)) {
						getChannel().basicAck(envelope.getDeliveryTag(), multiple);
					}
					if (this.received == total) {
						drained.countDown();
					}
				}
			});
			if (!drained.await(120, TimeUnit.SECONDS)) {
				throw new IllegalStateException("RabbitMQ did not deliver " + total + " messages in 120 s");
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			channel.basicCancel(tag);
			channel.queueDelete(queue);
			return seconds;
		}
	}

	private double kafkaRun(Map<String, Object> common, String mode) throws Exception {
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
					producer.send(new ProducerRecord<>(topic, PAYLOAD));
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
						return drain("the consumer group", () -> {
							int polled = consumer.poll(Duration.ofMillis(100)).count();
							if (polled > 0) {
								consumer.commitSync(Duration.ofSeconds(30));
							}
							return polled;
						});
					}
				}
				consumerConfig.putAll(Map.of("group.id", topic, "share.acknowledgement.mode", mode));
				boolean explicit = mode.equals("explicit");
				try (KafkaShareConsumer<String, byte[]> consumer = new KafkaShareConsumer<>(consumerConfig,
						new StringDeserializer(), new ByteArrayDeserializer())) {
					consumer.subscribe(List.of(topic));
					double seconds = drain("the share group", () -> {
						int polled = 0;
						for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
							polled++;
							if (explicit) {
								consumer.acknowledge(record, AcknowledgeType.ACCEPT);
							}
						}
						return polled;
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
	 * Polls with {@code poll} (the records it took) until every message of the run is in:
	 * the seconds that took.
	 */
	private double drain(String who, java.util.function.IntSupplier poll) {
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(120);
		int received = 0;
		while (received < this.messages) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						who + " received " + received + " of " + this.messages + " records in 120 s");
			}
			received += poll.getAsInt();
		}
		return (System.nanoTime() - start) / 1e9;
	}

	private static void print(List<Result> results, PrintStream out) {
		out.printf("%n%-20s %-38s %-26s %-22s %s%n", "broker", "mode", "messages/s (runs)", "consumer CPU µs/msg",
				"broker CPU µs/msg");
		for (Result result : results) {
			out.printf("%-20s %-38s %-26s %-22s %s%n", result.broker(), result.mode(),
					Hops.spread(result.column(0), "%.0f"), Hops.spread(times(result.column(1), 1000), "%.1f"),
					Hops.spread(times(result.column(2), 1000), "%.1f"));
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
