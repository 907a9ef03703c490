package dev.switchboard.launcher.up;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.embedded.MailSink;
import dev.switchboard.launcher.platform.AdminToken;
import dev.switchboard.launcher.platform.Databases;
import dev.switchboard.launcher.platform.DelayProxy;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.ServiceProcess;
import dev.switchboard.launcher.platform.ServiceSpec;
import dev.switchboard.launcher.platform.Options;

/**
 * The whole platform on one machine: infrastructure first (embedded unless external
 * servers are given), then every service as its own supervised JVM, then a wait until
 * each reports ready. {@link #close()} stops it all in reverse.
 */
public final class Platform implements AutoCloseable {

	private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

	private final Options options;

	private final PrintStream out;

	private final List<AutoCloseable> infrastructure = new ArrayList<>();

	private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

	/** The embedded Kafka broker's process; {@code null} with an external Kafka. */
	private ServiceProcess broker;

	/** The embedded PostgreSQL; {@code null} with an external one. */
	private SupervisedPostgres postgres;

	private String kafkaBootstrapServers;

	private Path runDir;

	private String adminToken;

	private Databases databases;

	private Platform(Options options, PrintStream out) {
		this.options = options;
		this.out = out;
	}

	/**
	 * Starts the platform and returns once every service is ready.
	 * @throws IllegalStateException when the gateway port is taken or a service does not
	 * come up
	 */
	public static Platform start(List<String> args, Map<String, String> env, Path home, PrintStream out)
			throws Exception {
		return start(UpCommand.parse(args, env, home), out);
	}

	static Platform start(Options options, PrintStream out) throws Exception {
		Platform platform = new Platform(options, out);
		try {
			platform.startAll();
			return platform;
		}
		catch (Exception | Error ex) {
			platform.close();
			throw ex;
		}
	}

	public String gatewayUrl() {
		return "http://localhost:" + this.options.gatewayPort();
	}

	/** Where the platform's Kafka is, embedded or not. */
	public String kafkaBootstrapServers() {
		return this.kafkaBootstrapServers;
	}

	/** The HTTP port of a service, for operators and tests (internal endpoints). */
	public int httpPort(String service) {
		return this.services.get(service).httpPort();
	}

	/** The bearer token of the services' admin endpoints (fault injection). */
	public String adminToken() {
		return this.adminToken;
	}

	/** A new connection to a service's own database, for operators and tests. */
	public Connection connectToDatabase(String service) throws SQLException {
		return this.databases.connect(this.databases.urlOf("switchboard_" + service));
	}

	/** The process id of a service, for operators and tests (kill, restart). */
	public long pid(String service) {
		if (service.equals("kafka") && this.broker != null) {
			return this.broker.pid();
		}
		if (service.equals("postgres") && this.postgres != null) {
			try {
				return this.postgres.process().map(ProcessHandle::pid).orElse(-1L);
			}
			catch (IOException ex) {
				return -1;
			}
		}
		return this.services.get(service).pid();
	}

	private void startAll() throws Exception {
		int gatewayPort = this.options.gatewayPort();
		if (!FreePorts.isFree(gatewayPort)) {
			throw new IllegalStateException("Port " + gatewayPort + " is already in use, and the gateway must listen "
					+ "there. Stop whatever uses it (is another ./switchboard up running?) and try again.");
		}
		Path dataDir = this.options.dataDir();
		Files.createDirectories(dataDir.resolve("logs"));
		Ports ports = new Ports(dataDir);

		String kafka = this.options.kafka().orElse(null);
		if (kafka == null) {
			// A process of its own, supervised like a service: it can be killed and
			// restarted alone.
			int port = ports.get("kafka");
			this.broker = new ServiceProcess("kafka", ServiceProcess.Readiness.LISTENING,
					brokerCommand(dataDir.resolve("kafka"), port, ports.get("kafka-controller")), Map.of(),
					dataDir.resolve("logs/kafka.log"), dataDir.resolve("run"), port, this.out);
			this.broker.start();
			awaitListening(this.broker);
			kafka = "127.0.0.1:" + port;
			this.out.printf("  %-13s %-28s (embedded, data in %s, pid %d)%n", "kafka", kafka, dataDir.resolve("kafka"),
					this.broker.pid());
		}
		else {
			this.out.printf("  %-13s %s (external)%n", "kafka", kafka);
		}

		this.kafkaBootstrapServers = kafka;
		Databases databases;
		Path embeddedPostgresData = null;
		Path mailDirectory = null;
		if (this.options.postgres().isEmpty()) {
			Path pgData = dataDir.resolve("postgres");
			SupervisedPostgres postgres = SupervisedPostgres.start(pgData, ports.get("postgres"),
					dataDir.resolve("run"), this.out);
			this.postgres = postgres;
			this.infrastructure.add(postgres);
			databases = new Databases(postgres.jdbcUrl("postgres"), "postgres", "");
			embeddedPostgresData = pgData;
			this.out.printf("  %-13s %-28s (embedded, data in %s)%n", "postgres", "127.0.0.1:" + postgres.port(),
					pgData);
		}
		else {
			databases = new Databases(this.options.postgres().get(), this.env("SWITCHBOARD_POSTGRES_USER").orElse(null),
					this.env("SWITCHBOARD_POSTGRES_PASSWORD").orElse(null));
			this.out.printf("  %-13s %s (external)%n", "postgres", this.options.postgres().get());
		}

		String smtp = this.options.smtp().orElse(null);
		if (smtp == null) {
			MailSink sink = MailSink.start(dataDir.resolve("mail"), ports.get("smtp"));
			this.infrastructure.add(sink);
			smtp = "127.0.0.1:" + sink.port();
			mailDirectory = sink.directory();
			this.out.printf("  %-13s %-28s (embedded sink, mail kept in %s)%n", "smtp", smtp, sink.directory());
		}
		else {
			this.out.printf("  %-13s %s (external)%n", "smtp", smtp);
		}
		if (this.options.rabbitmq().isPresent()) {
			URI rabbitmq = URI.create(this.options.rabbitmq().get());
			String where = rabbitmq.getHost() + ":" + ((rabbitmq.getPort() > 0) ? rabbitmq.getPort() : 5672);
			requireReachable("RabbitMQ", rabbitmq.getHost(), (rabbitmq.getPort() > 0) ? rabbitmq.getPort() : 5672);
			List<String> elsewhere = this.options.queueBindings()
				.entrySet()
				.stream()
				.filter((binding) -> !binding.getValue().equals("rabbitmq"))
				.map(Map.Entry::getKey)
				.sorted()
				.toList();
			this.out.printf("  %-13s %-28s (external, carries the work queues%s)%n", "rabbitmq", where,
					elsewhere.isEmpty() ? "" : " but " + String.join(", ", elsewhere));
		}

		this.databases = databases;
		Map<String, Integer> httpPorts = new LinkedHashMap<>();
		Map<String, Integer> grpcPorts = new LinkedHashMap<>();
		for (ServiceSpec spec : ServiceSpec.PLATFORM) {
			httpPorts.put(spec.name(), spec.edge() ? gatewayPort : ports.get(spec.name() + ".http"));
			if (spec.grpc()) {
				grpcPorts.put(spec.name(), ports.get(spec.name() + ".grpc"));
			}
			if (spec.database()) {
				databases.ensure(spec.databaseName());
			}
		}
		this.runDir = dataDir.resolve("run");
		Files.createDirectories(this.runDir);
		// Where callers reach each gRPC server: the server, or a delay proxy in front of
		// it.
		Map<String, Integer> grpcTargets = new LinkedHashMap<>(grpcPorts);
		for (String service : grpcPorts.keySet()) {
			Files.deleteIfExists(DelayProxy.proxyFile(this.runDir, service));
			if (this.options.delayProxies()) {
				DelayProxy proxy = DelayProxy.start(service, ports.get(service + ".proxy"), grpcPorts.get(service),
						this.runDir);
				this.infrastructure.add(proxy);
				grpcTargets.put(service, proxy.port());
				this.out.printf("  %-13s %-28s (in front of %s's gRPC port %d)%n", "delay proxy",
						"127.0.0.1:" + proxy.port(), service, grpcPorts.get(service));
			}
		}
		ports.save();
		this.adminToken = AdminToken.create(this.runDir);
		// For commands run against this platform later (switchboard dlq).
		Files.writeString(PlatformRun.kafkaFile(this.runDir), kafka);
		Files.deleteIfExists(PlatformRun.rabbitmqFile(this.runDir));
		if (this.options.rabbitmq().isPresent()) {
			// The URI may hold a password: readable by this user only, like the admin
			// token.
			Files.createFile(PlatformRun.rabbitmqFile(this.runDir),
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(PlatformRun.rabbitmqFile(this.runDir), this.options.rabbitmq().get());
		}
		StringBuilder bindings = new StringBuilder();
		Queues.ALL.forEach((queue) -> bindings.append(queue.name())
			.append('=')
			.append(this.options.bindingOf(queue.name()))
			.append('\n'));
		Files.writeString(PlatformRun.queueBindingsFile(this.runDir), bindings);
		new PlatformRun(ProcessHandle.current().pid(), databases.serverUrl(),
				Optional.ofNullable(databases.user()).orElse("postgres"), Optional.ofNullable(embeddedPostgresData),
				Optional.of(smtp), Optional.ofNullable(mailDirectory), kafka)
			.write(this.runDir);

		for (ServiceSpec spec : ServiceSpec.PLATFORM) {
			List<String> command = new ArrayList<>(javaCommand(spec));
			command.add("--server.port=" + httpPorts.get(spec.name()));
			command.add("--switchboard.parent-pid=" + ProcessHandle.current().pid());
			if (spec.grpc()) {
				command.add("--spring.grpc.server.port=" + grpcPorts.get(spec.name()));
			}
			if (spec.database()) {
				command.add("--spring.kafka.bootstrap-servers=" + kafka);
				command.addAll(queueArguments());
				command.add("--spring.datasource.url=" + databases.urlOf(spec.databaseName()));
				if (databases.user() != null) {
					command.add("--spring.datasource.username=" + databases.user());
				}
				command.add("--spring.datasource.password=" + Optional.ofNullable(databases.password()).orElse(""));
			}
			for (String callee : spec.calls()) {
				if (grpcTargets.containsKey(callee)) {
					command
						.add("--spring.grpc.client.channel." + callee + ".target=127.0.0.1:" + grpcTargets.get(callee));
				}
				else {
					command.add("--switchboard.services." + callee + ".url=http://127.0.0.1:" + httpPorts.get(callee));
				}
			}
			for (String asked : spec.asks()) {
				command.add("--switchboard.services." + asked + ".url=http://127.0.0.1:" + httpPorts.get(asked));
			}
			command.addAll(spec.settings().apply(new ServiceSpec.Run(this.options, smtp)));
			ServiceProcess process = new ServiceProcess(spec.name(), ServiceProcess.Readiness.HTTP, command,
					Map.of(AdminToken.ENVIRONMENT_VARIABLE, this.adminToken),
					dataDir.resolve("logs/" + spec.name() + ".log"), this.runDir, httpPorts.get(spec.name()), this.out);
			process.start();
			this.services.put(spec.name(), process);
		}
		awaitReady();
		awaitCatalogue();
		for (ServiceProcess process : this.services.values()) {
			String where = (process.httpPort() == this.options.gatewayPort()) ? gatewayUrl()
					: "http://127.0.0.1:" + process.httpPort() + (grpcPorts.containsKey(process.name())
							? "  grpc 127.0.0.1:" + grpcPorts.get(process.name()) : "");
			this.out.printf("  %-13s %-45s pid %d%n", process.name(), where, process.pid());
		}
	}

	private Optional<String> env(String name) {
		return Optional.ofNullable(System.getenv(name));
	}

	private List<String> javaCommand(ServiceSpec spec) throws IOException, InterruptedException {
		Path jar = this.options.home().resolve("services/" + spec.name() + "/target/" + spec.name() + ".jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException("Missing " + jar + ": build first with ./mvnw -DskipTests package");
		}
		List<String> command = new ArrayList<>();
		command.add(javaExecutable());
		command.addAll(serviceJvmOptions(this.options.serviceJvmOptions()));
		command.addAll(new ServiceJar(spec.name(), jar, this.options.dataDir()).arguments());
		return command;
	}

	/** The JVM options of a service process: the defaults, then the user's, which win. */
	static List<String> serviceJvmOptions(List<String> extra) {
		List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx384m",
				"-XX:ReservedCodeCacheSize=64m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError",
				// The full tiered JIT (C2): its code costs about half of C1's per order
				// once warm (docs/benchmarks.md). Its warm-up is what the AOT cache
				// (ServiceJar) shortens. More carrier threads than cores: a wait that
				// still pins a carrier (class initialisation, native calls) must not be
				// able to stop every virtual thread.
				"-Djdk.virtualThreadScheduler.parallelism=8"));
		if (Runtime.version().feature() >= 24) {
			options.add("--sun-misc-unsafe-memory-access=allow");
		}
		options.addAll(extra);
		return options;
	}

	/**
	 * The embedded broker: this launcher's own jar, run as
	 * {@code switchboard kafka-broker}.
	 */
	private List<String> brokerCommand(Path dir, int port, int controllerPort) throws IOException {
		Path jar = this.options.home().resolve("launcher/target/launcher-exec.jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException("Missing " + jar + ": build first with ./mvnw -DskipTests package");
		}
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-XX:+UseSerialGC", "-Xms64m", "-Xmx512m",
				"-XX:+ExitOnOutOfMemoryError", "-Dswitchboard.process=kafka",
				"-Dswitchboard.log.dir=" + dir.getParent().resolve("logs"), "-Dswitchboard.log.name=kafka-broker"));
		if (Runtime.version().feature() >= 24) {
			command.add("--sun-misc-unsafe-memory-access=allow");
		}
		command.addAll(List.of("-jar", jar.toString(), "kafka-broker", "--dir", dir.toString(), "--port",
				Integer.toString(port), "--controller-port", Integer.toString(controllerPort), "--parent-pid",
				Long.toString(ProcessHandle.current().pid())));
		return command;
	}

	private void awaitListening(ServiceProcess process) throws InterruptedException {
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (!process.isReady()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(process.name() + " was not listening after " + READY_TIMEOUT
						+ "; last log lines:\n  " + String.join("\n  ", process.logTail(30)));
			}
			// Polling a child process's port; nothing to wait on instead.
			Thread.sleep(200);
		}
	}

	private static String javaExecutable() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	private void awaitReady() throws InterruptedException, IOException {
		long started = System.nanoTime();
		long deadline = started + READY_TIMEOUT.toNanos();
		List<ServiceProcess> waiting = new ArrayList<>(this.services.values());
		this.out.printf("  waiting for %d services to be ready...%n", waiting.size());
		while (!waiting.isEmpty()) {
			for (ServiceProcess process : List.copyOf(waiting)) {
				if (process.isReady()) {
					waiting.remove(process);
					this.out.printf("  %-13s ready after %4.1f s%n", process.name(),
							(System.nanoTime() - started) / 1e9);
				}
				else if (!process.isAlive() && System.nanoTime() > deadline - READY_TIMEOUT.toNanos() / 2) {
					throw new IllegalStateException(
							process.name() + " keeps exiting during start-up; last log lines:\n  "
									+ String.join("\n  ", process.logTail(30)));
				}
			}
			if (System.nanoTime() > deadline) {
				ServiceProcess first = waiting.getFirst();
				throw new IllegalStateException(first.name() + " was not ready after " + READY_TIMEOUT
						+ "; last log lines:\n  " + String.join("\n  ", first.logTail(30)));
			}
			// Polling a child process's health endpoint; nothing to wait on instead.
			Thread.sleep(250);
		}
	}

	/**
	 * Ready means the API answers, not only that each process says it is up: the first
	 * read through the gateway opens its gRPC channel to inventory and loads both
	 * services' code for it, which on a busy machine can outlast the gateway's 2 s read
	 * deadline. So the launcher makes that first call itself, until it gets the
	 * catalogue.
	 */
	private void awaitCatalogue() throws InterruptedException, IOException {
		URI products = URI.create("http://127.0.0.1:" + this.options.gatewayPort() + "/api/v1/products");
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		int status = 0;
		try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
			while (System.nanoTime() < deadline) {
				try {
					status = http
						.send(HttpRequest.newBuilder(products).timeout(Duration.ofSeconds(10)).build(),
								HttpResponse.BodyHandlers.discarding())
						.statusCode();
					if (status == 200) {
						return;
					}
				}
				catch (IOException ex) {
					status = -1;
				}
				// Waiting on the services to answer; nothing local to wait on.
				Thread.sleep(250);
			}
		}
		throw new IllegalStateException("every service is up, but the gateway did not serve " + products + " within "
				+ READY_TIMEOUT + " (last answer: " + (status < 0 ? "no connection" : "HTTP " + status)
				+ "); see the logs in " + this.options.dataDir().resolve("logs"));
	}

	/**
	 * Fails with a clear message, before any service starts, when a server does not
	 * answer.
	 */
	private static void requireReachable(String what, String host, int port) {
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.connect(new java.net.InetSocketAddress(host, port), 3_000);
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					what + " at " + host + ":" + port + " does not answer (" + ex.getMessage() + ")");
		}
	}

	/**
	 * Where each service finds its work queues: RabbitMQ when given, per-queue overrides.
	 */
	private List<String> queueArguments() {
		List<String> arguments = new ArrayList<>();
		this.options.rabbitmq().ifPresent((uri) -> {
			arguments.add("--switchboard.queues.binding=rabbitmq");
			arguments.add("--switchboard.queues.rabbitmq-uri=" + uri);
		});
		this.options.queueBindings()
			.forEach((queue, binding) -> arguments.add("--switchboard.queues.bindings[" + queue + "]=" + binding));
		return arguments;
	}

	@Override
	public synchronized void close() {
		if (this.runDir != null) {
			for (Path file : List.of(PlatformRun.kafkaFile(this.runDir), PlatformRun.rabbitmqFile(this.runDir),
					PlatformRun.queueBindingsFile(this.runDir), PlatformRun.file(this.runDir))) {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					this.out.println("Could not remove " + file + ": " + ex.getMessage());
				}
			}
		}
		List<ServiceProcess> reverse = new ArrayList<>(this.services.values());
		java.util.Collections.reverse(reverse);
		reverse.forEach(ServiceProcess::requestStop);
		for (ServiceProcess process : reverse) {
			try {
				process.awaitStop(Duration.ofSeconds(20));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.services.clear();
		if (this.broker != null) {
			this.broker.requestStop();
			try {
				this.broker.awaitStop(Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.broker = null;
		}
		List<AutoCloseable> infra = new ArrayList<>(this.infrastructure);
		java.util.Collections.reverse(infra);
		for (AutoCloseable resource : infra) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				this.out.println("Could not stop " + resource.getClass().getSimpleName() + ": " + ex.getMessage());
			}
		}
		this.infrastructure.clear();
	}

}
