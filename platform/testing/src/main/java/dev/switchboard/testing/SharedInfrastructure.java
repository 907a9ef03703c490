package dev.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.switchboard.embedded.EmbeddedKafka;
import dev.switchboard.embedded.EmbeddedPostgresServer;
import dev.switchboard.embedded.FreePorts;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real Kafka broker and one real PostgreSQL server for all integration tests of a
 * test JVM, started on first use and stopped when the JVM exits. Each service test gets a
 * fresh database of its own.
 */
public final class SharedInfrastructure {

	private static EmbeddedKafka kafka;

	private static EmbeddedPostgresServer postgres;

	private static int databases;

	private SharedInfrastructure() {
	}

	/**
	 * Points a Spring test context at the shared broker and at a new, empty database.
	 * Call from a {@code @DynamicPropertySource} method; a {@link ServiceIntegrationTest}
	 * needs none.
	 */
	public static synchronized void register(DynamicPropertyRegistry registry, String service) {
		connect(service).forEach((name, value) -> registry.add(name, () -> value));
	}

	/**
	 * The properties that point a service at the shared broker and at a new, empty
	 * database of its own.
	 */
	static synchronized Map<String, Object> connect(String service) {
		start();
		String database = service + "_test_" + (++databases);
		createDatabase(database);
		return Map.of("spring.kafka.bootstrap-servers", kafka.bootstrapServers(), "spring.datasource.url",
				postgres.jdbcUrl(database), "spring.datasource.username", "postgres", "spring.datasource.password", "");
	}

	public static synchronized String kafkaBootstrapServers() {
		start();
		return kafka.bootstrapServers();
	}

	private static void start() {
		if (kafka != null) {
			return;
		}
		try {
			Path dir = Files.createTempDirectory("switchboard-test-infra");
			postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"), FreePorts.next());
			// Work-queue consumers come and go with every test context: assign them fast.
			kafka = EmbeddedKafka.start(dir.resolve("kafka"), FreePorts.next(), FreePorts.next(),
					Duration.ofMillis(500));
			Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(dir)));
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start the test infrastructure", ex);
		}
	}

	private static void createDatabase(String name) {
		try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "");
				Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name, ex);
		}
	}

	private static void stop(Path dir) {
		try {
			kafka.close();
			postgres.close();
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
			}
		}
		catch (IOException | RuntimeException ex) {
			// The JVM is exiting; a leftover temp directory is all that can remain.
		}
	}

}
