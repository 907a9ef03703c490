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
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
		Files.createDirectories(dataDir.getParent());
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setPort(port)
			.setRegisterShutdownHook(false)
			.setPGStartupWait(Duration.ofSeconds(30))
			.setServerConfig("max_connections", "300")
			// The platform commits many small transactions; durability of the last few
			// milliseconds matters less on a laptop than throughput. A crash can lose the
			// last commits but never corrupts data.
			.setServerConfig("synchronous_commit", "off")
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
