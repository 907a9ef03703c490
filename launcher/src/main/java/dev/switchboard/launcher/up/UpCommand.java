package dev.switchboard.launcher.up;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.switchboard.launcher.EnvironmentDefaults;
import dev.switchboard.launcher.platform.Options;

/**
 * {@code switchboard up}: starts the platform and runs it until Ctrl-C. Each option can
 * also come from an environment variable (the command line wins);
 * {@link EnvironmentDefaults} says which.
 */
@Command(name = "up", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = { "Starts the platform: Kafka, PostgreSQL and a mail sink (embedded unless given), then every "
				+ "service as its own JVM; runs until Ctrl-C.", "" },
		footer = { "",
				"Environment: SWITCHBOARD_SERVICE_JVM_OPTIONS holds extra JVM options for every service "
						+ "process, separated by spaces and placed after the defaults, so they win: "
						+ "-XX:TieredStopAtLevel=1 for the C1 compiler only, -Xmx512m for more heap." })
public final class UpCommand implements Callable<Integer> {

	@Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "var",
			description = "where all state lives (default ./var; env SWITCHBOARD_DATA_DIR)")
	Path dataDir;

	@Option(names = "--kafka", paramLabel = "BOOTSTRAP",
			description = "use this Kafka cluster instead of the embedded broker (env SWITCHBOARD_KAFKA)")
	String kafka;

	@Option(names = "--postgres", paramLabel = "JDBC_URL",
			description = "use this PostgreSQL server instead of the embedded one; one database per service is "
					+ "created on it (env SWITCHBOARD_POSTGRES; user and password from the URL or "
					+ "SWITCHBOARD_POSTGRES_USER / SWITCHBOARD_POSTGRES_PASSWORD)")
	String postgres;

	@Option(names = "--smtp", paramLabel = "HOST:PORT",
			description = "send notifications to this SMTP server instead of the embedded mail sink (env SWITCHBOARD_SMTP)")
	String smtp;

	@Option(names = "--rabbitmq", paramLabel = "AMQP_URI",
			description = "carry the work queues (payment commands, emails) on this RabbitMQ, not Kafka, e.g. "
					+ "amqp://guest:guest@localhost:5672 (env SWITCHBOARD_RABBITMQ)")
	String rabbitmq;

	@Option(names = "--queue-binding", paramLabel = "QUEUE=BINDING",
			description = "put one work queue on kafka or rabbitmq whatever the default; repeatable, e.g. "
					+ "--queue-binding switchboard.payment.commands=kafka")
	List<String> queueBindings = new ArrayList<>();

	@Option(names = "--edge", paramLabel = "EDGE=TRANSPORT",
			description = "the transport of one edge, the business code being the same: "
					+ "order-inventory=grpc (default) or rest, order-payment=queue (default), stream or grpc, "
					+ "gateway-order=grpc (default) or rest, gateway-analytics=rest (default) or grpc; repeatable")
	List<String> edges = new ArrayList<>();

	@Option(names = "--gateway-port", paramLabel = "PORT", defaultValue = "8080",
			description = "the gateway's port (default ${DEFAULT-VALUE}; env SWITCHBOARD_GATEWAY_PORT)")
	int gatewayPort;

	@Option(names = "--saga", paramLabel = "MODE", defaultValue = "orchestration",
			description = "how new orders' sagas run: orchestration (default) or choreography (env SWITCHBOARD_SAGA); "
					+ "sagas already running finish in their own mode")
	String saga;

	@Option(names = "--saga-timeout", paramLabel = "STEP=DURATION",
			description = "how long a saga step may take once its participant took it (reserve 5s, charge 10s, "
					+ "allocate 5s, ship 5s), how long a step may wait for a participant that is down or busy "
					+ "(schedule-to-start 5m), or the first compensation retry delay (compensation 30s); "
					+ "repeatable, e.g. --saga-timeout charge=3s")
	List<String> sagaTimeouts = new ArrayList<>();

	@Option(names = "--max-active-orders", paramLabel = "N|auto", defaultValue = "auto",
			description = "refuse new orders (503 + Retry-After) while N orders are in progress; auto (the default) "
					+ "sets N by Little's law: the admitted rate over the last 10 s times 2 s, at least 100; 0 accepts "
					+ "without limit (env SWITCHBOARD_MAX_ACTIVE_ORDERS)")
	String maxActiveOrders;

	@Option(names = "--delay-proxies", paramLabel = "on|off", defaultValue = "off",
			description = "put a TCP proxy in front of each gRPC server (order, inventory) whose delay switchboard "
					+ "fault SERVICE --network-delay (and switchboard chaos) can set: a slow network between "
					+ "services (default off; env SWITCHBOARD_DELAY_PROXIES)")
	String delayProxies;

	@Option(names = "--lab-relay", paramLabel = "on|off", defaultValue = "off",
			description = "every service that serves gRPC (order, inventory, payment, analytics) also serves the "
					+ "lab's relay, passing a call on to the next service of its route through its own edges: the "
					+ "chain switchboard bench chain --platform measures (default off; env SWITCHBOARD_LAB_RELAY)")
	String labRelay;

	@Option(names = "--aot-cache", paramLabel = "on|off", defaultValue = "on",
			description = "on JDK 25+, record each service's ahead-of-time cache on its first run on the data "
					+ "directory (written when it stops) and start from it afterwards: faster starts and warm-up; "
					+ "off runs the plain jars (default on; env SWITCHBOARD_AOT_CACHE)")
	String aotCache;

	@Option(names = "--mtls", paramLabel = "on|off", defaultValue = "on",
			description = "services authenticate each other with certificates from the platform's own authority "
					+ "and may call only what the access policy grants them (default on; env SWITCHBOARD_MTLS)")
	String mtls;

	@Option(names = "--ca", paramLabel = "DIR",
			description = "the certificate authority that issues the services' certificates (ca.pem and ca-key.pem; "
					+ "made there if missing); default DATA_DIR/ca (env SWITCHBOARD_CA)")
	Path ca;

	@Option(names = "--certificate-lifetime", paramLabel = "DURATION", defaultValue = "24h",
			description = "how long each service's certificate is valid, e.g. 24h, 90m, 30s; renewed at half its "
					+ "life, without a restart (default ${DEFAULT-VALUE}; env SWITCHBOARD_CERTIFICATE_LIFETIME)")
	String certificateLifetime;

	@Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
			description = "where the services, Kafka and PostgreSQL listen: 127.0.0.1 (this machine alone), one of "
					+ "its addresses, or 0.0.0.0 (all of them); beyond loopback only with --mtls on, whose "
					+ "certificates then guard every listener. The gateway's public port listens on every address "
					+ "anyway (default ${DEFAULT-VALUE}; env SWITCHBOARD_BIND)")
	String bind;

	@Option(names = "--zipkin", paramLabel = "on|off", defaultValue = "on",
			description = "run a Zipkin server, the trace view, that every service sends its spans to; its UI on "
					+ "--zipkin-port of this machine (default on; env SWITCHBOARD_ZIPKIN)")
	String zipkin;

	@Option(names = "--zipkin-port", paramLabel = "PORT", defaultValue = "9411",
			description = "the trace view's port, on 127.0.0.1 (default ${DEFAULT-VALUE}; env SWITCHBOARD_ZIPKIN_PORT)")
	int zipkinPort;

	@Option(names = "--otlp", paramLabel = "URL",
			description = "send every span to this OTLP/HTTP traces endpoint as well (Jaeger, Tempo, an "
					+ "OpenTelemetry Collector), e.g. http://localhost:4318/v1/traces (env SWITCHBOARD_OTLP)")
	String otlp;

	@Option(names = "--trace-sampling", paramLabel = "P", defaultValue = "1.0",
			description = "the share of traces recorded, 0 to 1; the first service of a request decides for the "
					+ "whole trace (default ${DEFAULT-VALUE}: every order; env SWITCHBOARD_TRACE_SAMPLING)")
	String traceSampling;

	@Option(names = "--console-port", paramLabel = "PORT", defaultValue = "8090",
			description = "the console's port, on 127.0.0.1: the live topology, sagas, dead letters, an order's "
					+ "timeline and trace, fault buttons (default ${DEFAULT-VALUE}; env SWITCHBOARD_CONSOLE_PORT)")
	int consolePort;

	private final Map<String, String> env;

	private final Path home;

	public UpCommand() {
		this(System.getenv(), Path.of(System.getProperty("switchboard.home", ".")));
	}

	public UpCommand(Map<String, String> env, Path home) {
		this.env = env;
		this.home = home.toAbsolutePath().normalize();
	}

	/** A command line for {@code up} alone, whose defaults come from {@code env}. */
	public static CommandLine commandLine(Map<String, String> env, Path home) {
		return new CommandLine(new UpCommand(env, home)).setDefaultValueProvider(new EnvironmentDefaults(env));
	}

	public Options options() {
		Map<String, String> bindings = new LinkedHashMap<>();
		for (String value : this.queueBindings) {
			String[] queueAndBinding = value.split("=", 2);
			if (queueAndBinding.length != 2 || !queueAndBinding[0].matches("[a-z0-9][a-z0-9.-]*")
					|| !Options.QUEUE_BINDINGS.contains(queueAndBinding[1])) {
				throw new IllegalArgumentException("--queue-binding must be QUEUE=BINDING with BINDING one of "
						+ Options.QUEUE_BINDINGS + ", was " + value);
			}
			bindings.put(queueAndBinding[0], queueAndBinding[1]);
		}
		Map<String, String> edgeTransports = new LinkedHashMap<>();
		for (String value : this.edges) {
			String[] edgeAndTransport = value.split("=", 2);
			if (edgeAndTransport.length != 2) {
				throw new IllegalArgumentException("--edge must be EDGE=TRANSPORT, one of "
						+ new java.util.TreeMap<>(Options.EDGES) + ", was " + value);
			}
			edgeTransports.put(edgeAndTransport[0], edgeAndTransport[1]);
		}
		Map<String, String> timeouts = new LinkedHashMap<>();
		for (String value : this.sagaTimeouts) {
			String[] stepAndDuration = value.split("=", 2);
			if (stepAndDuration.length != 2 || !Options.SAGA_STEPS.contains(stepAndDuration[0])
					|| !stepAndDuration[1].matches("\\d+(ms|s|m)")) {
				throw new IllegalArgumentException("--saga-timeout must be STEP=DURATION with STEP one of "
						+ Options.SAGA_STEPS + " and DURATION like 500ms, 3s or 1m, was " + value);
			}
			timeouts.put(stepAndDuration[0], stepAndDuration[1]);
		}
		if (!List.of("on", "off").contains(this.delayProxies)) {
			throw new IllegalArgumentException("--delay-proxies must be on or off, was " + this.delayProxies);
		}
		if (!List.of("on", "off").contains(this.aotCache)) {
			throw new IllegalArgumentException("--aot-cache must be on or off, was " + this.aotCache);
		}
		if (!List.of("on", "off").contains(this.labRelay)) {
			throw new IllegalArgumentException("--lab-relay must be on or off, was " + this.labRelay);
		}
		if (!List.of("on", "off").contains(this.mtls)) {
			throw new IllegalArgumentException("--mtls must be on or off, was " + this.mtls);
		}
		if (!this.certificateLifetime.matches("\\d{1,9}(s|m|h)")) {
			throw new IllegalArgumentException(
					"--certificate-lifetime must be a duration like 24h, 90m or 30s, was " + this.certificateLifetime);
		}
		Path dataDirectory = this.dataDir.toAbsolutePath().normalize();
		Options.Tls tls = new Options.Tls(this.mtls.equals("on"),
				(this.ca != null) ? this.ca.toAbsolutePath().normalize() : dataDirectory.resolve("ca"),
				Duration.parse("PT" + this.certificateLifetime.toUpperCase(java.util.Locale.ROOT)));
		if (!this.maxActiveOrders.equals("auto") && !this.maxActiveOrders.matches("\\d{1,9}")) {
			throw new IllegalArgumentException(
					"--max-active-orders must be auto or a whole number >= 0, was " + this.maxActiveOrders);
		}
		if (!List.of("on", "off").contains(this.zipkin)) {
			throw new IllegalArgumentException("--zipkin must be on or off, was " + this.zipkin);
		}
		if (!this.traceSampling.matches("(0|1)(\\.\\d+)?|\\.\\d+")) {
			throw new IllegalArgumentException(
					"--trace-sampling must be a number from 0 to 1, was " + this.traceSampling);
		}
		Options.Tracing tracing = new Options.Tracing(this.zipkin.equals("on"), this.zipkinPort,
				java.util.Optional.ofNullable(this.otlp).filter((url) -> !url.isBlank()),
				Double.parseDouble(this.traceSampling));
		return Options.of(dataDirectory, this.kafka, this.postgres, this.smtp, this.gatewayPort, this.saga, timeouts,
				this.maxActiveOrders, this.rabbitmq, bindings, this.delayProxies.equals("on"),
				this.aotCache.equals("on"), this.env.getOrDefault("SWITCHBOARD_SERVICE_JVM_OPTIONS", ""), this.home,
				tls, Options.Bind.of(this.bind), tracing, this.consolePort, edgeTransports, this.labRelay.equals("on"));
	}

	@Override
	public Integer call() throws Exception {
		Options options = options();
		// Before any logger exists: the infrastructure log goes into the data directory.
		System.setProperty("switchboard.log.dir", options.dataDir().resolve("logs").toString());
		System.out.println("Starting Switchboard (data in " + options.dataDir() + ")");
		Platform platform = Platform.start(options, System.out);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("Stopping Switchboard...");
			platform.close();
			System.out.println("Stopped.");
			stopped.countDown();
		}));
		System.out.println("Switchboard is ready: " + platform.gatewayUrl() + "  (Ctrl-C stops it)");
		stopped.await();
		return 0;
	}

	/**
	 * Reads {@code up}'s command line, with defaults from {@code env}.
	 * @throws IllegalArgumentException for anything wrong on it
	 */
	public static Options parse(List<String> args, Map<String, String> env, Path home) {
		CommandLine commandLine = UpCommand.commandLine(env, home);
		try {
			commandLine.parseArgs(args.toArray(String[]::new));
		}
		catch (CommandLine.ParameterException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
		return ((UpCommand) commandLine.getCommand()).options();
	}

}
