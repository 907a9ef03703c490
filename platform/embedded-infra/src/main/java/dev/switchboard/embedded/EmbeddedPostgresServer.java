package dev.switchboard.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (the official binaries, unpacked from a Maven artifact) run as
 * a child process with its data in a directory that survives restarts. As root it runs
 * the server as an unprivileged user, since PostgreSQL refuses to run as root.
 *
 * <p>
 * Durable, always: a commit returns once its write-ahead log is on disk, so a transaction
 * that committed survives a crash of PostgreSQL and of the machine; concurrent commits
 * share one flush (group commit). zonky starts the server with {@code -F} (fsync off);
 * the {@code fsync=on} given here comes later on the server's command line and wins.
 * There is no faster, less durable mode: the tests run on what the platform runs on.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
		PostgresBinaries.checkPresent();
		Files.createDirectories(dataDir.getParent());
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setPort(port)
			.setRegisterShutdownHook(false)
			.setPGStartupWait(Duration.ofSeconds(30))
			// PostgreSQL's default, said here because it matters: only this machine
			// reaches the server, whose one user needs no password.
			.setServerConfig("listen_addresses", "localhost")
			.setServerConfig("max_connections", "300")
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setServerConfig("full_page_writes", "on")
			// Counts every statement, so switchboard bench can say what an order asks of
			// the database (a few percent of the server's CPU; the view needs CREATE
			// EXTENSION).
			.setServerConfig("shared_preload_libraries", "pg_stat_statements")
			.setServerConfig("pg_stat_statements.max", "1000")
			.start();
		return new EmbeddedPostgresServer(postgres);
	}

	/**
	 * A JDBC URL for {@code database} on this server (user {@code postgres}, no
	 * password).
	 */
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
