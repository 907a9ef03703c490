package dev.switchboard.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (the official binaries, unpacked from a Maven artifact) run as a
 * child process with its data in a directory that survives restarts. As root it runs the
 * server as an unprivileged user, since PostgreSQL refuses to run as root.
 *
 * <p>
 * {@link Durability#DURABLE} (what the platform runs with) flushes the write-ahead log to
 * disk before a commit returns, so a transaction that committed survives a crash of
 * PostgreSQL and of the machine. zonky starts the server with {@code -F} (fsync off); the
 * {@code fsync=on} given here comes later on the server's command line and wins.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	/** What a commit promises. */
	public enum Durability {

		/**
		 * {@code fsync=on}, {@code synchronous_commit=on}: a commit returns once its WAL is on
		 * disk. Concurrent commits share one flush (group commit), so many small
		 * transactions from many connections cost fewer flushes than commits.
		 */
		DURABLE,

		/**
		 * {@code fsync=off}, {@code synchronous_commit=off}: nothing waits for the disk. A
		 * crash of the machine (not of PostgreSQL alone) can lose committed transactions and
		 * corrupt the data directory. Only for throwaway data (tests on temporary
		 * directories), never for a platform's data or a published figure.
		 */
		NOT_DURABLE_THROWAWAY_DATA

	}

	private final EmbeddedPostgres postgres;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	/** A durable server: see {@link Durability#DURABLE}. */
	public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
		return start(dataDir, port, Durability.DURABLE);
	}

	public static EmbeddedPostgresServer start(Path dataDir, int port, Durability durability) throws IOException {
		Files.createDirectories(dataDir.getParent());
		boolean durable = durability == Durability.DURABLE;
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setPort(port)
			.setRegisterShutdownHook(false)
			.setPGStartupWait(Duration.ofSeconds(30))
			.setServerConfig("max_connections", "300")
			.setServerConfig("fsync", durable ? "on" : "off")
			.setServerConfig("synchronous_commit", durable ? "on" : "off")
			.setServerConfig("full_page_writes", durable ? "on" : "off")
			// Counts every statement, so switchboard bench can say what an order asks of the
			// database (a few percent of the server's CPU; the view needs CREATE EXTENSION).
			.setServerConfig("shared_preload_libraries", "pg_stat_statements")
			.setServerConfig("pg_stat_statements.max", "1000")
			.start();
		return new EmbeddedPostgresServer(postgres);
	}

	/** A JDBC URL for {@code database} on this server (user {@code postgres}, no password). */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.postgres.getPort() + "/" + database;
	}

	public int port() {
		return this.postgres.getPort();
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

}
