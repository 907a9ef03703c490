package dev.switchboard.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.JsonNode;

import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.launcher.Switchboard;
import dev.switchboard.launcher.platform.OperatorHttp;
import dev.switchboard.launcher.up.Platform;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.Api.order;
import static dev.switchboard.e2e.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the end-to-end tests share: the one platform they run against (started by
 * {@link PlatformTest} before the first of them, stopped after the last), the orders the
 * running class placed with the end each must reach, and the helpers that drive the
 * platform as a user would.
 */
final class E2e {

	static final Duration TERMINAL = Duration.ofSeconds(60);

	static final URI RABBITMQ = URI
		.create(System.getenv().getOrDefault("SWITCHBOARD_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672"));

	static boolean emailsOnRabbitmq;

	/**
	 * Whether this run put a dead-letter queue for payment commands on RabbitMQ, to
	 * remove after.
	 */
	static boolean strayDeadLetterQueue;

	static Path dataDir;

	static List<String> args;

	static Platform platform;

	static String api;

	/**
	 * What {@code up} reads from the environment here: a reservation no order claimed
	 * (its client gave up on a keyed request) is released after 40 s instead of 5 min, so
	 * that the invariants hold within the chaos test's settling time. A client that comes
	 * back later reserves again under its key.
	 */
	/**
	 * The services run on the C1 JIT alone here: eight JVMs start on two cores, where
	 * C2's compiler threads made each start about 30 s longer (ready after 97 s instead
	 * of 69 s), and these tests check behaviour, not peak speed. Platforms users run (and
	 * the bench) keep the full tiered JIT.
	 */
	static final Map<String, String> ENVIRONMENT = Map.of("SWITCHBOARD_SERVICE_JVM_OPTIONS",
			"-XX:TieredStopAtLevel=1 -Dswitchboard.order.reservation-sweep.claim-within=40s "
					+ "-Dswitchboard.order.reservation-sweep.interval=20s");

	/**
	 * Every order the running test class placed, with the status it must end in:
	 * {@link PlatformTest} empties it before each class and checks the invariants over
	 * the platform, with these ends, after it.
	 */
	static final Map<String, String> expected = new ConcurrentHashMap<>();

	private E2e() {
	}

	static void startPlatform() throws Exception {
		dataDir = Files.createTempDirectory("switchboard-e2e");
		// A shorter charge timeout keeps the no-reply scenarios quick; the others are
		// generous so that a busy two-core machine running the tests never times a
		// healthy step out.
		List<String> arguments = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--gateway-port",
				Integer.toString(FreePorts.next()), "--saga-timeout", "charge=15s", "--saga-timeout", "allocate=20s",
				"--saga-timeout", "ship=20s", "--saga-timeout", "compensation=2s",
				// Every call to a gRPC server goes through a proxy the chaos test slows
				// down.
				"--delay-proxies", "on",
				// No ahead-of-time cache to record: each platform here starts at most
				// twice, and writing seven caches made the restart test's stop last
				// longer than the start they shorten.
				"--aot-cache", "off",
				// Every service's certificate is renewed each minute: the whole suite
				// runs
				// across rotations.
				"--certificate-lifetime", "2m",
				// Reachable from other machines, as on a cluster: certificates alone
				// keep callers out (ExposureIT).
				"--bind", "0.0.0.0",
				// The lab's relay on every gRPC server, for bench chain --platform
				// (LabIT).
				"--lab-relay", "on",
				// The trace view, where users expect it unless that port is taken here.
				"--zipkin-port", Integer.toString(FreePorts.next()), "--console-port",
				Integer.toString(FreePorts.next())));
		// Both work-queue bindings in one running platform: payment commands on Kafka
		// share groups, emails on RabbitMQ, when one answers.
		if (emptied(RABBITMQ, Queues.NOTIFICATION_EMAILS)) {
			emailsOnRabbitmq = true;
			// As if an earlier run had payment commands on this RabbitMQ: its dead-letter
			// queue must not hide this run's, which are on Kafka (switchboard dlq follows
			// the running platform's bindings).
			strayDeadLetterQueue = declaredIfMissing(RABBITMQ, Queues.PAYMENT_COMMANDS.deadLetterName());
			arguments.addAll(List.of("--rabbitmq", RABBITMQ.toString(), "--queue-binding",
					Queues.PAYMENT_COMMANDS.name() + "=kafka"));
		}
		else {
			System.out.println("No RabbitMQ answers at " + RABBITMQ.getHost() + ":" + RABBITMQ.getPort()
					+ " (set SWITCHBOARD_TEST_RABBITMQ to an amqp:// URI): every work queue of this run is on Kafka,"
					+ " and the RabbitMQ dead-letter test is skipped");
		}
		// The edge matrix, beyond what CI runs (the defaults here, both synchronous edges
		// switched in SagasIT's second half):
		// -Dswitchboard.e2e.edges=order-payment=grpc,...
		for (String edge : System.getProperty("switchboard.e2e.edges", "").split(",")) {
			if (!edge.isBlank()) {
				arguments.addAll(List.of("--edge", edge.strip()));
			}
		}
		args = List.copyOf(arguments);
		System.out.println("e2e platform: up " + String.join(" ", args));
		platform = Platform.start(args, ENVIRONMENT, Path.of(System.getProperty("switchboard.home")), System.out);
		api = platform.gatewayUrl() + "/api/v1";
		Api.useTokensFrom(platform.gatewayUrl());
		Api.callServicesAsOperator(dataDir.resolve("run"));
	}

	static void stopPlatform() throws Exception {
		if (platform != null) {
			platform.close();
		}
		if (strayDeadLetterQueue) {
			try (Connection connection = rabbitmq(RABBITMQ); Channel channel = connection.createChannel()) {
				channel.queueDelete(Queues.PAYMENT_COMMANDS.deadLetterName());
			}
		}
	}

	/**
	 * Deletes {@code queue} and its dead letters from the RabbitMQ at {@code broker},
	 * which outlives test runs, so that this run starts from empty queues; {@code false}
	 * when no broker answers there.
	 */
	static boolean emptied(URI broker, QueueSpec queue) throws Exception {
		try (Connection connection = rabbitmq(broker); Channel channel = connection.createChannel()) {
			channel.queueDelete(queue.name());
			channel.queueDelete(queue.deadLetterName());
			return true;
		}
		catch (IOException | TimeoutException ex) {
			return false;
		}
	}

	static Connection rabbitmq(URI broker) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(broker);
		factory.setConnectionTimeout(3_000);
		return factory.newConnection("e2e");
	}

	/**
	 * Declares {@code queue} on the RabbitMQ at {@code broker} unless it exists; whether
	 * it did.
	 */
	static boolean declaredIfMissing(URI broker, String queue) throws Exception {
		try (Connection connection = rabbitmq(broker)) {
			try {
				// The broker answers a missing queue by closing the channel.
				connection.createChannel().queueDeclarePassive(queue);
				return false;
			}
			catch (IOException missing) {
				try (Channel channel = connection.createChannel()) {
					channel.queueDeclare(queue, true, false, false, null);
					return true;
				}
			}
		}
	}

	static String place(String sku, int quantity, String token, String country, String expectedEnd) {
		Api.Response created = post(api + "/orders", "application/json", order(sku, quantity, token, country));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String id = created.json().get("orderId").asText();
		expected.put(id, expectedEnd);
		return id;
	}

	static JsonNode awaitTerminal(String orderId) {
		await().atMost(TERMINAL).until(() -> {
			String status = get(api + "/orders/" + orderId).json().get("status").asText();
			return status.equals("COMPLETED") || status.equals("CANCELLED");
		});
		return get(api + "/orders/" + orderId).json();
	}

	/**
	 * {@code path} on {@code service}'s internal HTTP port (over mutual TLS when the
	 * platform runs with it).
	 */
	static String internal(String service, String path) {
		return OperatorHttp.uri(dataDir.resolve("run"), platform.httpPort(service), path).toString();
	}

	/** {@code path} on {@code service}'s actuator port. */
	static String management(String service, String path) {
		return OperatorHttp.uri(dataDir.resolve("run"), platform.managementPort(service), path).toString();
	}

	static Map<String, JsonNode> stock() {
		Map<String, JsonNode> bySku = new HashMap<>();
		Api.allPages(internal("inventory", "/internal/stock"), "sku", platform.adminToken())
			.forEach((s) -> bySku.put(s.get("sku").asText(), s));
		return bySku;
	}

	static JsonNode payment(String orderId) {
		for (JsonNode p : Api.allPages(internal("payment", "/internal/payments"), "orderId", platform.adminToken())) {
			if (p.get("orderId").asText().equals(orderId)) {
				return p;
			}
		}
		return null;
	}

	/** What inventory has now: asked past the gateway's cache, which lags by a moment. */
	static int available(String sku) {
		return get(api + "/products/" + sku, "Cache-Control", "no-cache").json().get("available").asInt();
	}

	static String header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	/**
	 * Places an order as a careful client does while the platform recovers from a crash:
	 * retrying 503s (not placed) and 504s (outcome unknown) under one Idempotency-Key, so
	 * no retry can make a second order.
	 */
	static String placeRetrying(String sku, String token, String country, String expectedEnd) {
		String key = java.util.UUID.randomUUID().toString();
		String[] id = new String[1];
		await().atMost(Duration.ofSeconds(120)).until(() -> {
			Api.Response created = post(api + "/orders", "application/json", order(sku, 1, token, country),
					"Idempotency-Key", key);
			assertThat(created.status()).as(created.body()).isIn(201, 503, 504);
			if (created.status() == 201) {
				id[0] = created.json().get("orderId").asText();
			}
			return id[0] != null;
		});
		expected.put(id[0], expectedEnd);
		return id[0];
	}

	/**
	 * Learns the outcome of a keyed order that got a 504 by sending it again until it is
	 * placed.
	 */
	static void settle(String key, String body) {
		await().atMost(Duration.ofSeconds(120)).until(() -> {
			Api.Response again = post(api + "/orders", "application/json", body, "Idempotency-Key", key);
			if (again.status() == 201) {
				expected.put(again.json().get("orderId").asText(), "COMPLETED");
			}
			return again.status() == 201;
		});
	}

	static void awaitEveryServiceUp() {
		for (String service : List.of("order", "inventory", "payment", "shipping", "notification", "analytics")) {
			await().atMost(Duration.ofSeconds(120))
				.ignoreExceptions()
				.until(() -> get(internal(service, "/actuator/health")).status() == 200);
		}
	}

	/**
	 * Runs a {@code switchboard} command in this JVM, as the launcher's {@code main}
	 * does; returns what it printed. A command run through the script is a JVM started
	 * for it (3 to 6 s each on a busy two-core machine, about fifty times a suite): only
	 * the commands whose test is about running them as a user does use
	 * {@link #switchboardScript}.
	 */
	static String switchboard(String... arguments) {
		return switchboardExiting(0, arguments);
	}

	/** As {@link #switchboard}, for a command that is to end with {@code exitCode}. */
	static synchronized String switchboardExiting(int exitCode, String... arguments) {
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
		PrintStream out = System.out;
		PrintStream err = System.err;
		int code;
		// The commands print to System.out; picocli's messages go to the command line's
		// writers.
		System.setOut(capture);
		System.setErr(capture);
		try {
			picocli.CommandLine commandLine = Switchboard.commandLine();
			commandLine.setOut(new PrintWriter(capture, true));
			commandLine.setErr(new PrintWriter(capture, true));
			code = commandLine.execute(arguments);
		}
		finally {
			System.setOut(out);
			System.setErr(err);
		}
		String output = printed.toString(StandardCharsets.UTF_8);
		System.out.print(output);
		assertThat(code).as(output).isEqualTo(exitCode);
		return output;
	}

	/**
	 * Runs the real {@code ./switchboard} script, as a user would; returns its output.
	 */
	static String switchboardScript(String... arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("switchboard.home"), "switchboard").toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(output).isEqualTo(0);
		return output;
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
