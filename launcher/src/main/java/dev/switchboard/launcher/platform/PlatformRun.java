package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What a running platform tells the commands run against it ({@code load}, {@code bench})
 * through {@code <data-dir>/run/platform.properties}: the launcher's pid (it hosts the
 * embedded Kafka broker and mail sink), the PostgreSQL server and its data directory when
 * embedded, and the mail sink. Readable by its owner only, like the admin token: an
 * external PostgreSQL's URL may carry a password.
 */
public record PlatformRun(long launcherPid, String postgresUrl, String postgresUser, Optional<Path> postgresData,
		Optional<String> smtp, Optional<Path> mailDirectory, String kafka) {

	public static Path file(Path runDir) {
		return runDir.resolve("platform.properties");
	}

	public void write(Path runDir) throws IOException {
		Properties p = new Properties();
		p.setProperty("launcher.pid", Long.toString(this.launcherPid));
		p.setProperty("postgres.url", this.postgresUrl);
		p.setProperty("postgres.user", this.postgresUser);
		this.postgresData.ifPresent((dir) -> p.setProperty("postgres.data", dir.toString()));
		this.smtp.ifPresent((address) -> p.setProperty("smtp", address));
		this.mailDirectory.ifPresent((dir) -> p.setProperty("mail.directory", dir.toString()));
		p.setProperty("kafka", this.kafka);
		Files.createDirectories(runDir);
		// A PostgreSQL URL may carry a password parameter: readable by this user only.
		Files.deleteIfExists(file(runDir));
		Files.createFile(file(runDir),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try (Writer writer = Files.newBufferedWriter(file(runDir))) {
			p.store(writer, "The running platform, for switchboard load and bench");
		}
	}

	/**
	 * Where a running platform says how this machine reaches its services' internal
	 * listeners: {@code 127.0.0.1}, or the address given to {@code up --bind}.
	 */
	public static Path hostFile(Path runDir) {
		return runDir.resolve("host");
	}

	/**
	 * The host through which this machine reaches the internal listeners of the platform
	 * running on {@code runDir} (as a URI writes it); {@code 127.0.0.1} when it does not
	 * say.
	 */
	public static String host(Path runDir) {
		try {
			Path file = hostFile(runDir);
			return Files.exists(file) ? Files.readString(file).strip() : "127.0.0.1";
		}
		catch (IOException ex) {
			return "127.0.0.1";
		}
	}

	/**
	 * Where a running platform says where its trace view is (the Zipkin server's UI);
	 * absent when it runs none.
	 */
	public static Path tracesFile(Path runDir) {
		return runDir.resolve("traces.url");
	}

	/** Where a running platform keeps its Kafka bootstrap servers. */
	public static Path kafkaFile(Path runDir) {
		return runDir.resolve("kafka.bootstrap");
	}

	/**
	 * Where a running platform says how its tools connect to Kafka: a Kafka client
	 * configuration file (bootstrap servers and, when the broker requires mutual TLS, the
	 * operator's certificate), which Kafka's own command-line tools read too
	 * ({@code --command-config}).
	 */
	public static Path kafkaClientFile(Path runDir) {
		return runDir.resolve("kafka-client.properties");
	}

	/** Writes {@link #kafkaClientFile}. */
	public static void writeKafkaClient(Path runDir, Map<String, Object> client) throws IOException {
		Properties p = new Properties();
		client.forEach((key, value) -> p.setProperty(key, String.valueOf(value)));
		try (Writer writer = Files.newBufferedWriter(kafkaClientFile(runDir))) {
			p.store(writer, "How the launcher's tools connect to the platform's Kafka");
		}
	}

	/**
	 * How the platform running on {@code runDir} tells its tools to connect to Kafka.
	 * @throws IllegalStateException when no platform runs there
	 */
	public static Map<String, Object> kafkaClient(Path runDir) throws IOException {
		Path file = kafkaClientFile(runDir);
		if (!Files.exists(file)) {
			throw new IllegalStateException(
					"no running platform found in " + runDir.getParent() + " (is ./switchboard up running there?)");
		}
		Properties p = new Properties();
		try (Reader reader = Files.newBufferedReader(file)) {
			p.load(reader);
		}
		Map<String, Object> client = new LinkedHashMap<>();
		p.stringPropertyNames().forEach((key) -> client.put(key, p.getProperty(key)));
		return client;
	}

	/**
	 * Where a running platform keeps the URI of the RabbitMQ carrying its work queues, if
	 * any.
	 */
	public static Path rabbitmqFile(Path runDir) {
		return runDir.resolve("rabbitmq.uri");
	}

	/**
	 * Where a running platform says which broker carries each work queue, as
	 * {@code queue=binding} lines.
	 */
	public static Path queueBindingsFile(Path runDir) {
		return runDir.resolve("queue.bindings");
	}

	/**
	 * Where a running platform says the transport of each switchable edge, as
	 * {@code edge=transport} lines ({@code up --edge}).
	 */
	public static Path edgesFile(Path runDir) {
		return runDir.resolve("edges");
	}

	/**
	 * The edges of the platform on this run directory, as {@code a=b, c=d}; empty if
	 * unknown.
	 */
	public static String edges(Path runDir) {
		try {
			return String.join(", ", Files.readAllLines(edgesFile(runDir)));
		}
		catch (java.io.IOException ex) {
			return "";
		}
	}

	/** The platform running on this run directory, if its launcher is still alive. */
	public static Optional<PlatformRun> read(Path runDir) {
		Path file = file(runDir);
		if (!Files.exists(file)) {
			return Optional.empty();
		}
		Properties p = new Properties();
		try (Reader reader = Files.newBufferedReader(file)) {
			p.load(reader);
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		long pid = Long.parseLong(p.getProperty("launcher.pid", "-1"));
		if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new PlatformRun(pid, p.getProperty("postgres.url"), p.getProperty("postgres.user"),
				Optional.ofNullable(p.getProperty("postgres.data")).map(Path::of),
				Optional.ofNullable(p.getProperty("smtp")),
				Optional.ofNullable(p.getProperty("mail.directory")).map(Path::of), p.getProperty("kafka")));
	}

	/** A connection helper for one of the platform's databases. */
	public Databases databases() {
		return new Databases(this.postgresUrl, this.postgresUser, System.getenv("SWITCHBOARD_POSTGRES_PASSWORD"));
	}

}
