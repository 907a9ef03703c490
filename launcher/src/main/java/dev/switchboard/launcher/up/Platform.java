package dev.switchboard.launcher.up;

import java.io.IOException;
import java.io.PrintStream;
import java.net.NetworkInterface;
import java.net.SocketException;
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
import dev.switchboard.embedded.CertificateAuthority;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.launcher.console.Console;
import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.AdminToken;
import dev.switchboard.launcher.platform.LoadClient;
import dev.switchboard.launcher.platform.DelayProxy;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.ServiceCertificates;
import dev.switchboard.launcher.platform.ServiceProcess;
import dev.switchboard.launcher.platform.ServiceSpec;
import dev.switchboard.launcher.platform.Options;

/**
 * The whole platform on one machine, supervised: its {@link Infrastructure} first, then
 * every service of the table as its own JVM (started with its {@link ServiceArguments},
 * restarted when it dies), then a wait until each reports ready and the API answers.
 * {@link #close()} stops it all in reverse.
 */
public final class Platform implements AutoCloseable {

	private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

	private final Options options;

	private final PrintStream out;

	private final List<AutoCloseable> proxies = new ArrayList<>();

	private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

	private Infrastructure infrastructure;

	/** The trace view; {@code null} when {@code --zipkin off}. */
	private ZipkinServer zipkin;

	private Console console;

	private Path runDir;

	private String adminToken;

	private String loadClientSecret;

	private ServiceCertificates certificates;

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
		return this.infrastructure.kafka();
	}

	/**
	 * A Kafka client's configuration for the launcher's tools (and tests): where the
	 * broker is and, when it requires mutual TLS, the operator's certificate; then
	 * {@code own}.
	 */
	public Map<String, Object> kafkaClient(Map<String, Object> own) {
		Map<String, Object> client = new LinkedHashMap<>(this.infrastructure.kafkaClient());
		client.putAll(own);
		return client;
	}

	/** The HTTP port of a service, for operators and tests (internal endpoints). */
	public int httpPort(String service) {
		return this.services.get(service).httpPort();
	}

	/** Where a service's actuator answers: its HTTP port, or the gateway's own. */
	public int managementPort(String service) {
		return this.services.get(service).managementPort();
	}

	/**
	 * Where the trace view (Zipkin's UI, whose API is under {@code api/v2/} beside it)
	 * answers, unless the platform runs without one.
	 */
	public Optional<String> tracesUrl() {
		return Optional.ofNullable(this.zipkin).map(ZipkinServer::uiUrl);
	}

	/** Where the console answers. */
	public String consoleUrl() {
		return this.console.url();
	}

	/** The bearer token of the services' admin endpoints (fault injection). */
	public String adminToken() {
		return this.adminToken;
	}

	/** The OAuth2 client of {@code ./switchboard load}, registered for this run. */
	public AccessTokens.Client loadClient() {
		return new AccessTokens.Client(LoadClient.ID, this.loadClientSecret);
	}

	/**
	 * The services' certificates, renewed at half their lifetime; empty when mutual TLS
	 * is off.
	 */
	public Optional<ServiceCertificates> certificates() {
		return Optional.ofNullable(this.certificates);
	}

	/** Where the certificate authority of this platform lives. */
	public Path certificateAuthority() {
		return this.options.tls().authority();
	}

	/** A new connection to a service's own database, for operators and tests. */
	public Connection connectToDatabase(String service) throws SQLException {
		return this.infrastructure.databases().connect(this.infrastructure.databases().urlOf("switchboard_" + service));
	}

	/**
	 * The process id of a service, or of the embedded {@code kafka} or {@code postgres},
	 * for operators and tests (kill, restart); -1 when it is not running.
	 */
	public long pid(String service) {
		if (this.services.containsKey(service)) {
			return this.services.get(service).pid();
		}
		try {
			return this.infrastructure.pid(service).orElse(-1L);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private void startAll() throws Exception {
		int gatewayPort = this.options.gatewayPort();
		if (!FreePorts.isFree(gatewayPort)) {
			throw new IllegalStateException("Port " + gatewayPort + " is already in use, and the gateway must listen "
					+ "there. Stop whatever uses it (is another ./switchboard up running?) and try again.");
		}
		if (!FreePorts.isFree(this.options.consolePort())) {
			throw new IllegalStateException("Port " + this.options.consolePort() + " is already in use, and the "
					+ "console must listen there. Free it or give --console-port PORT.");
		}
		Path dataDir = this.options.dataDir();
		Files.createDirectories(dataDir.resolve("logs"));
		Ports ports = new Ports(dataDir);

		this.runDir = dataDir.resolve("run");
		Files.createDirectories(this.runDir);
		Files.writeString(PlatformRun.hostFile(this.runDir), this.options.bind().host());
		if (this.options.tls().on()) {
			List<String> identities = new ArrayList<>(ServiceSpec.PLATFORM.stream().map(ServiceSpec::name).toList());
			if (this.options.postgres().isEmpty()) {
				identities.add(Infrastructure.POSTGRES_IDENTITY);
			}
			if (this.options.kafka().isEmpty()) {
				identities.add(Infrastructure.KAFKA_IDENTITY);
			}
			this.certificates = ServiceCertificates.start(CertificateAuthority.open(this.options.tls().authority()),
					this.runDir, this.options.tls().lifetime(), identities, addressesOf(this.options.bind()), this.out);
		}
		else {
			// The tools tell a platform with identities by their files: none of a past
			// run may linger.
			ServiceCertificates.removeAll(this.runDir);
		}
		if (!this.options.bind().loopback()) {
			this.out.printf(
					"  listening on %s%s: beyond loopback, every port but the gateway's takes only callers "
							+ "with the platform's certificates (%s)%n",
					this.options.bind().address(), this.options.bind().wildcard() ? " (every address)" : "",
					ServiceCertificates.trustFile(this.runDir));
		}
		Files.deleteIfExists(PlatformRun.tracesFile(this.runDir));
		if (this.options.tracing().zipkin()) {
			// Started first and awaited last: it is ready long before the services.
			this.zipkin = ZipkinServer.start(this.options, this.out);
		}
		this.infrastructure = Infrastructure.start(this.options, ports, READY_TIMEOUT, this.out, this.certificates);
		Map<String, Integer> httpPorts = new LinkedHashMap<>();
		Map<String, Integer> grpcPorts = new LinkedHashMap<>();
		Map<String, Integer> managementPorts = new LinkedHashMap<>();
		for (ServiceSpec spec : ServiceSpec.PLATFORM) {
			httpPorts.put(spec.name(), spec.edge() ? gatewayPort : ports.get(spec.name() + ".http"));
			if (spec.edge()) {
				// Its actuator stays on this machine, on a port of its own.
				managementPorts.put(spec.name(), ports.get(spec.name() + ".management"));
			}
			if (spec.grpc()) {
				grpcPorts.put(spec.name(), ports.get(spec.name() + ".grpc"));
			}
			if (spec.database()) {
				this.infrastructure.ensureDatabase(spec);
			}
		}
		// Where callers reach each gRPC server: the server, or a delay proxy in front of
		// it.
		Map<String, Integer> grpcTargets = new LinkedHashMap<>(grpcPorts);
		for (String service : grpcPorts.keySet()) {
			Files.deleteIfExists(DelayProxy.proxyFile(this.runDir, service));
			if (this.options.delayProxies()) {
				DelayProxy proxy = DelayProxy.start(service, ports.get(service + ".proxy"), grpcPorts.get(service),
						this.runDir);
				this.proxies.add(proxy);
				grpcTargets.put(service, proxy.port());
				this.out.printf("  %-13s %-28s (in front of %s's gRPC port %d)%n", "delay proxy",
						"127.0.0.1:" + proxy.port(), service, grpcPorts.get(service));
			}
		}
		ports.save();
		this.adminToken = AdminToken.create(this.runDir);
		this.loadClientSecret = LoadClient.create(this.runDir);
		writeRunFiles();

		ServiceArguments arguments = new ServiceArguments(this.options, this.infrastructure, httpPorts, grpcPorts,
				grpcTargets, managementPorts, this.adminToken, this.loadClientSecret,
				Optional.ofNullable(this.zipkin).map(ZipkinServer::spanEndpoint));
		for (ServiceSpec spec : ServiceSpec.PLATFORM) {
			ServiceProcess process = new ServiceProcess(spec.name(), ServiceProcess.Readiness.http(this.runDir),
					arguments.of(spec), arguments.environment(spec), dataDir.resolve("logs/" + spec.name() + ".log"),
					this.runDir, httpPorts.get(spec.name()),
					managementPorts.getOrDefault(spec.name(), httpPorts.get(spec.name())), this.out);
			process.start();
			this.services.put(spec.name(), process);
		}
		awaitReady();
		awaitCatalogue();
		for (ServiceProcess process : this.services.values()) {
			String host = this.options.bind().host();
			String where = (process.httpPort() == this.options.gatewayPort()) ? gatewayUrl()
					: (this.options.tls().on() ? "https" : "http") + "://" + host + ":" + process.httpPort()
							+ (grpcPorts.containsKey(process.name())
									? "  grpc " + host + ":" + grpcPorts.get(process.name()) : "");
			this.out.printf("  %-13s %-45s pid %d%n", process.name(), where, process.pid());
		}
		Map<String, Integer> actuators = new LinkedHashMap<>();
		this.services.values().forEach((process) -> actuators.put(process.name(), process.managementPort()));
		this.console = Console.start(this.options.consolePort(), this.runDir, actuators,
				this.infrastructure.databases(), tracesUrl(), this.adminToken, "http://127.0.0.1:" + gatewayPort);
		this.out.printf("  %-13s %s%n", "console", this.console.url());
		if (this.zipkin != null) {
			this.zipkin.awaitReady(READY_TIMEOUT);
			Files.writeString(PlatformRun.tracesFile(this.runDir), this.zipkin.uiUrl());
			this.out.printf("  %-13s %-45s pid %d%n", "traces", this.zipkin.uiUrl() + " (Zipkin)", this.zipkin.pid());
		}
		this.options.tracing().otlp().ifPresent((url) -> this.out.printf("  %-13s %s%n", "otlp", url));
	}

	/**
	 * The addresses the certificates name besides {@code localhost} and
	 * {@code 127.0.0.1}, so that clients which check host names accept them: the one
	 * given to {@code --bind}, or for a wildcard every address of this machine.
	 */
	static List<String> addressesOf(Options.Bind bind) {
		if (bind.loopback()) {
			return List.of();
		}
		if (!bind.wildcard()) {
			return List.of(bind.address());
		}
		List<String> addresses = new ArrayList<>();
		try {
			for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
				if (network.isUp() && !network.isLoopback()) {
					network.inetAddresses()
						.filter((address) -> !address.isLinkLocalAddress())
						.forEach((address) -> addresses.add(address.getHostAddress()));
				}
			}
		}
		catch (SocketException ex) {
			// The certificates name the loopback addresses alone; identity is checked
			// anyway.
		}
		return addresses;
	}

	/**
	 * What commands run against this platform later ({@code dlq}, {@code load},
	 * {@code chaos}...) read to find it.
	 */
	private void writeRunFiles() throws IOException {
		Files.writeString(PlatformRun.kafkaFile(this.runDir), this.infrastructure.kafka());
		PlatformRun.writeKafkaClient(this.runDir, this.infrastructure.kafkaClient());
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
		StringBuilder edges = new StringBuilder();
		new java.util.TreeSet<>(Options.EDGES.keySet())
			.forEach((edge) -> edges.append(edge).append('=').append(this.options.transportOf(edge)).append('\n'));
		Files.writeString(PlatformRun.edgesFile(this.runDir), edges);
		new PlatformRun(ProcessHandle.current().pid(), this.infrastructure.databases().serverUrl(),
				Optional.ofNullable(this.infrastructure.databases().user()).orElse("postgres"),
				this.infrastructure.postgresData(), Optional.of(this.infrastructure.smtp()),
				this.infrastructure.mailDirectory(), this.infrastructure.kafka())
			.write(this.runDir);
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

	@Override
	public synchronized void close() {
		if (this.runDir != null) {
			for (Path file : List.of(PlatformRun.kafkaFile(this.runDir), PlatformRun.kafkaClientFile(this.runDir),
					PlatformRun.rabbitmqFile(this.runDir), PlatformRun.queueBindingsFile(this.runDir),
					PlatformRun.tracesFile(this.runDir), PlatformRun.file(this.runDir))) {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					this.out.println("Could not remove " + file + ": " + ex.getMessage());
				}
			}
		}
		if (this.console != null) {
			this.console.close();
			this.console = null;
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
		for (AutoCloseable proxy : this.proxies) {
			try {
				proxy.close();
			}
			catch (Exception ex) {
				this.out.println("Could not stop a delay proxy: " + ex.getMessage());
			}
		}
		this.proxies.clear();
		if (this.certificates != null) {
			this.certificates.close();
		}
		if (this.infrastructure != null) {
			this.infrastructure.close();
		}
		if (this.zipkin != null) {
			this.zipkin.close();
			this.zipkin = null;
		}
	}

}
