package dev.switchboard.launcher.up;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.contracts.access.AccessPolicy;
import dev.switchboard.embedded.EmbeddedKafka;
import dev.switchboard.embedded.EmbeddedPostgresServer;
import dev.switchboard.embedded.MailSink;
import dev.switchboard.launcher.platform.Databases;
import dev.switchboard.launcher.platform.Options;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.ServiceCertificates;
import dev.switchboard.launcher.platform.ServiceSpec;
import dev.switchboard.launcher.platform.ServiceProcess;

/**
 * What the services run on: Kafka, PostgreSQL and an SMTP server, each embedded unless an
 * external one is given, and RabbitMQ when one is (never embedded, only checked). The
 * embedded broker and PostgreSQL run as supervised processes of their own, so a fault can
 * kill either alone. {@link #close()} stops what it started, in reverse.
 */
final class Infrastructure implements AutoCloseable {

	private final PrintStream out;

	private final List<AutoCloseable> started = new ArrayList<>();

	/** The embedded Kafka broker's process; {@code null} with an external Kafka. */
	private ServiceProcess broker;

	/** The embedded PostgreSQL; {@code null} with an external one. */
	private SupervisedPostgres postgres;

	private String kafka;

	private Databases databases;

	private String smtp;

	private Path postgresData;

	private Path runDir;

	private boolean postgresTls;

	/** The embedded PostgreSQL server's identity. */
	static final String POSTGRES_IDENTITY = "postgres";

	/** The embedded Kafka broker's identity. */
	static final String KAFKA_IDENTITY = "kafka";

	/** Whether the embedded Kafka broker requires mutual TLS (and applies ACLs). */
	private boolean kafkaTls;

	private Path mailDirectory;

	private Infrastructure(PrintStream out) {
		this.out = out;
	}

	/**
	 * Starts or finds each server, printing where it is.
	 * @throws IllegalStateException when one does not come up or does not answer
	 */
	static Infrastructure start(Options options, Ports ports, Duration readyTimeout, PrintStream out,
			ServiceCertificates certificates) throws Exception {
		Infrastructure infrastructure = new Infrastructure(out);
		try {
			infrastructure.startAll(options, ports, readyTimeout, certificates);
			return infrastructure;
		}
		catch (Exception | Error ex) {
			infrastructure.close();
			throw ex;
		}
	}

	private void startAll(Options options, Ports ports, Duration readyTimeout, ServiceCertificates certificates)
			throws Exception {
		Path dataDir = options.dataDir();
		this.runDir = dataDir.resolve("run");
		this.kafka = options.kafka().orElse(null);
		if (this.kafka == null) {
			int port = ports.get("kafka");
			this.kafkaTls = certificates != null;
			// Beyond loopback only with TLS (Options refuses the rest).
			String host = this.kafkaTls ? options.bind().host() : "127.0.0.1";
			this.broker = new ServiceProcess("kafka", ServiceProcess.Readiness.listening(host),
					brokerCommand(options.home(), dataDir.resolve("kafka"), port, ports.get("kafka-controller"),
							this.kafkaTls ? this.runDir : null, options.bind()),
					Map.of(), dataDir.resolve("logs/kafka.log"), dataDir.resolve("run"), port, port, this.out);
			this.broker.start();
			awaitListening(this.broker, readyTimeout);
			this.kafka = host + ":" + port;
			if (this.kafkaTls) {
				KafkaAcls.apply(kafkaClient(), AccessPolicy.platform(), readyTimeout);
			}
			this.out.printf("  %-13s %-28s (embedded, data in %s, pid %d)%n", "kafka", this.kafka,
					dataDir.resolve("kafka"), this.broker.pid());
		}
		else {
			this.out.printf("  %-13s %s (external)%n", "kafka", this.kafka);
		}

		if (options.postgres().isEmpty()) {
			this.postgresData = dataDir.resolve("postgres");
			this.postgresTls = certificates != null;
			this.postgres = SupervisedPostgres.start(this.postgresData, ports.get("postgres"), this.runDir, this.out,
					this.postgresTls ? postgresTls(dataDir, options.bind()) : null);
			this.started.add(this.postgres);
			this.databases = new Databases(this.postgresTls
					? this.postgres.jdbcUrl("postgres") + "?"
							+ ServiceCertificates.postgresParameters(this.runDir, ServiceCertificates.OPERATOR)
					: this.postgres.jdbcUrl("postgres"), "postgres", "");
			if (this.postgresTls) {
				// The server reads its renewed certificate when told to reload.
				certificates.afterRenewal(this::reloadPostgres);
			}
			this.out.printf("  %-13s %-28s (embedded, data in %s)%n", "postgres", "127.0.0.1:" + this.postgres.port(),
					this.postgresData);
		}
		else {
			this.databases = new Databases(options.postgres().get(), System.getenv("SWITCHBOARD_POSTGRES_USER"),
					System.getenv("SWITCHBOARD_POSTGRES_PASSWORD"));
			this.out.printf("  %-13s %s (external)%n", "postgres", options.postgres().get());
		}

		this.smtp = options.smtp().orElse(null);
		if (this.smtp == null) {
			MailSink sink = MailSink.start(dataDir.resolve("mail"), ports.get("smtp"));
			this.started.add(sink);
			this.smtp = "127.0.0.1:" + sink.port();
			this.mailDirectory = sink.directory();
			this.out.printf("  %-13s %-28s (embedded sink, mail kept in %s)%n", "smtp", this.smtp, sink.directory());
		}
		else {
			this.out.printf("  %-13s %s (external)%n", "smtp", this.smtp);
		}

		if (options.rabbitmq().isPresent()) {
			URI rabbitmq = URI.create(options.rabbitmq().get());
			int port = (rabbitmq.getPort() > 0) ? rabbitmq.getPort() : 5672;
			requireReachable("RabbitMQ", rabbitmq.getHost(), port);
			List<String> elsewhere = options.queueBindings()
				.entrySet()
				.stream()
				.filter((binding) -> !binding.getValue().equals("rabbitmq"))
				.map(Map.Entry::getKey)
				.sorted()
				.toList();
			this.out.printf("  %-13s %-28s (external, carries the work queues%s)%n", "rabbitmq",
					rabbitmq.getHost() + ":" + port, elsewhere.isEmpty() ? "" : " but " + String.join(", ", elsewhere));
		}
	}

	/**
	 * The embedded server's TLS: its own certificate, client certificates only, each
	 * service's name its role, the operator's tools {@code postgres}.
	 */
	private EmbeddedPostgresServer.Tls postgresTls(Path dataDir, Options.Bind bind) {
		Map<String, String> roles = new LinkedHashMap<>();
		roles.put(ServiceCertificates.OPERATOR, "postgres");
		ServiceSpec.PLATFORM.stream()
			.filter(ServiceSpec::database)
			.forEach((spec) -> roles.put(spec.name(), spec.name()));
		return new EmbeddedPostgresServer.Tls(ServiceCertificates.identityFile(this.runDir, POSTGRES_IDENTITY),
				ServiceCertificates.trustFile(this.runDir), dataDir.resolve("postgres-access"), roles,
				ServiceCertificates.postgresClient(this.runDir, ServiceCertificates.OPERATOR), bind.address());
	}

	private void reloadPostgres() {
		try (Connection c = this.databases.connect(this.databases.serverUrl()); Statement s = c.createStatement()) {
			s.execute("SELECT pg_reload_conf()");
		}
		catch (SQLException ex) {
			this.out.println("postgres: could not reload its renewed certificate: " + ex.getMessage());
		}
	}

	/**
	 * Where {@code spec}'s database is, for the service itself: with TLS, as its own
	 * identity.
	 */
	String serviceDatabaseUrl(ServiceSpec spec) {
		return this.postgresTls
				? this.postgres.jdbcUrl(spec.databaseName()) + "?"
						+ ServiceCertificates.postgresParameters(this.runDir, spec.name())
				: this.databases.urlOf(spec.databaseName());
	}

	/** The role {@code spec} logs in as: its own with TLS, else the server's user. */
	String serviceDatabaseUser(ServiceSpec spec) {
		return this.postgresTls ? spec.name() : this.databases.user();
	}

	/** Creates {@code spec}'s database if missing, owned by its own role with TLS. */
	void ensureDatabase(ServiceSpec spec) throws SQLException {
		this.databases.ensure(spec.databaseName(), this.postgresTls ? spec.name() : null);
	}

	/** Kafka's bootstrap servers, embedded or not. */
	String kafka() {
		return this.kafka;
	}

	/** Whether services reach Kafka over mutual TLS, as themselves. */
	boolean kafkaTls() {
		return this.kafkaTls;
	}

	/**
	 * How the launcher's tools connect to Kafka: as the operator, over mutual TLS when
	 * the broker requires it.
	 */
	Map<String, Object> kafkaClient() {
		Map<String, Object> client = new LinkedHashMap<>();
		client.put("bootstrap.servers", this.kafka);
		if (this.kafkaTls) {
			client.putAll(EmbeddedKafka.Tls.clientConfig(
					ServiceCertificates.identityFile(this.runDir, ServiceCertificates.OPERATOR),
					ServiceCertificates.trustFile(this.runDir)));
		}
		return client;
	}

	Databases databases() {
		return this.databases;
	}

	/** The SMTP server's {@code host:port}, embedded or not. */
	String smtp() {
		return this.smtp;
	}

	/** The embedded PostgreSQL's data directory, if it is embedded. */
	Optional<Path> postgresData() {
		return Optional.ofNullable(this.postgresData);
	}

	/** Where the embedded mail sink keeps what it receives, if it is embedded. */
	Optional<Path> mailDirectory() {
		return Optional.ofNullable(this.mailDirectory);
	}

	/** The process id of the embedded {@code kafka} or {@code postgres}, if running. */
	Optional<Long> pid(String server) throws IOException {
		if (server.equals("kafka") && this.broker != null) {
			return Optional.of(this.broker.pid());
		}
		if (server.equals("postgres") && this.postgres != null) {
			return this.postgres.process().map(ProcessHandle::pid);
		}
		return Optional.empty();
	}

	/**
	 * The embedded broker: this launcher's own jar, run as
	 * {@code switchboard kafka-broker}.
	 */
	private static List<String> brokerCommand(Path home, Path dir, int port, int controllerPort, Path tlsRunDir,
			Options.Bind bind) {
		Path jar = home.resolve("launcher/target/launcher-exec.jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException("Missing " + jar + ": build first with ./mvnw -DskipTests package");
		}
		List<String> command = new ArrayList<>(List.of(ServiceArguments.javaExecutable(), "-XX:+UseSerialGC", "-Xms64m",
				"-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Dswitchboard.process=kafka",
				"-Dswitchboard.log.dir=" + dir.getParent().resolve("logs"), "-Dswitchboard.log.name=kafka-broker"));
		if (Runtime.version().feature() >= 24) {
			command.add("--sun-misc-unsafe-memory-access=allow");
		}
		command.addAll(List.of("-jar", jar.toString(), "kafka-broker", "--dir", dir.toString(), "--port",
				Integer.toString(port), "--controller-port", Integer.toString(controllerPort), "--parent-pid",
				Long.toString(ProcessHandle.current().pid())));
		if (tlsRunDir != null) {
			command.addAll(
					List.of("--tls-identity", ServiceCertificates.identityFile(tlsRunDir, KAFKA_IDENTITY).toString(),
							"--tls-trust", ServiceCertificates.trustFile(tlsRunDir).toString(), "--super-user",
							KAFKA_IDENTITY + "," + ServiceCertificates.OPERATOR, "--listen", bind.address(),
							"--advertise", bind.host()));
		}
		return command;
	}

	private static void awaitListening(ServiceProcess process, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!process.isReady()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(process.name() + " was not listening after " + timeout
						+ "; last log lines:\n  " + String.join("\n  ", process.logTail(30)));
			}
			// Polling a child process's port; nothing to wait on instead.
			Thread.sleep(200);
		}
	}

	/**
	 * Fails with a clear message, before any service starts, when a server does not
	 * answer.
	 */
	private static void requireReachable(String what, String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 3_000);
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					what + " at " + host + ":" + port + " does not answer (" + ex.getMessage() + ")");
		}
	}

	@Override
	public synchronized void close() {
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
		List<AutoCloseable> reverse = new ArrayList<>(this.started);
		Collections.reverse(reverse);
		for (AutoCloseable resource : reverse) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				this.out.println("Could not stop " + resource.getClass().getSimpleName() + ": " + ex.getMessage());
			}
		}
		this.started.clear();
		this.postgres = null;
	}

}
