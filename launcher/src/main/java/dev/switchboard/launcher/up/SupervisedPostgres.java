package dev.switchboard.launcher.up;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.switchboard.embedded.EmbeddedPostgresServer;
import dev.switchboard.launcher.platform.RunningServices;

/**
 * The embedded PostgreSQL, watched like a service: when its server process dies (a crash,
 * or {@code ./switchboard kill postgres}) it is started again on the same data directory
 * and port, where it recovers from its write-ahead log every transaction that committed.
 * Its pid is in {@code <data-dir>/run/postgres.pid}.
 */
final class SupervisedPostgres implements AutoCloseable {

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private final Path dataDir;

	private final int port;

	private final Path runDir;

	private final PrintStream out;

	private final EmbeddedPostgresServer.Tls tls;

	private volatile EmbeddedPostgresServer server;

	private volatile boolean stopping;

	private SupervisedPostgres(Path dataDir, int port, Path runDir, PrintStream out, EmbeddedPostgresServer.Tls tls) {
		this.dataDir = dataDir;
		this.port = port;
		this.runDir = runDir;
		this.out = out;
		this.tls = tls;
	}

	/** Starts the server; with {@code tls} (or null), for certificate holders only. */
	static SupervisedPostgres start(Path dataDir, int port, Path runDir, PrintStream out,
			EmbeddedPostgresServer.Tls tls) throws Exception {
		SupervisedPostgres postgres = new SupervisedPostgres(dataDir, port, runDir, out, tls);
		StalePostgres.stopLeftover(dataDir);
		postgres.server = EmbeddedPostgresServer.start(dataDir, port, tls);
		postgres.watch();
		return postgres;
	}

	String jdbcUrl(String database) {
		return this.server.jdbcUrl(database);
	}

	int port() {
		return this.port;
	}

	/** The running server's process (the postmaster), read from its lock file. */
	Optional<ProcessHandle> process() throws IOException {
		Path lock = this.dataDir.resolve("postmaster.pid");
		if (!Files.exists(lock)) {
			return Optional.empty();
		}
		List<String> lines = Files.readAllLines(lock);
		return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.getFirst().strip()));
	}

	private void watch() throws IOException {
		ProcessHandle postmaster = process()
			.orElseThrow(() -> new IllegalStateException("PostgreSQL started but left no postmaster.pid"));
		Files.createDirectories(this.runDir);
		Files.writeString(RunningServices.pidFile(this.runDir, "postgres"), Long.toString(postmaster.pid()));
		postmaster.onExit().thenRun(() -> Thread.ofVirtual().start(this::restartAfterCrash));
	}

	private void restartAfterCrash() {
		if (this.stopping) {
			return;
		}
		this.out.println("postgres exited; restarting it");
		try {
			// Releases the data directory's lock, which the dead server's handle still
			// holds in this JVM (stopping a server that is gone only logs that it is).
			this.server.close();
		}
		catch (IOException | RuntimeException ex) {
			this.out.printf("postgres: could not release the dead server's handle: %s%n", ex);
		}
		long delay = 500;
		while (!this.stopping) {
			try {
				Thread.sleep(delay);
				// What the dead server left: its backends exit as soon as they notice,
				// and a new server will not share their memory while one is still
				// attached.
				StalePostgres.stopLeftover(this.dataDir);
				this.server = EmbeddedPostgresServer.start(this.dataDir, this.port, this.tls);
				watch();
				this.out.printf("postgres restarted, pid %d%n", process().map(ProcessHandle::pid).orElse(-1L));
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				this.out.printf("postgres could not be restarted yet (%s); trying again%n", ex);
				delay = Math.min(MAX_BACKOFF.toMillis(), delay * 2);
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.stopping = true;
		try {
			this.server.close();
		}
		finally {
			Files.deleteIfExists(RunningServices.pidFile(this.runDir, "postgres"));
		}
	}

}
