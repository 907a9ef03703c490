package dev.switchboard.launcher.up;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.switchboard.embedded.FreePorts;
import dev.switchboard.launcher.platform.Options;
import dev.switchboard.launcher.platform.ServiceProcess;

/**
 * The platform's trace backend on a laptop: the Zipkin server (its runnable jar, which
 * the build copies next to the launcher's) as a supervised process of its own, keeping
 * spans in memory, with its UI on a fixed local port. Every service sends it its spans
 * ({@code switchboard.tracing.zipkin.endpoint}).
 *
 * <p>
 * It listens on loopback whatever {@code --bind} says: Zipkin has no authentication, and
 * spans name orders and customers. A cluster sends its spans to its own collector
 * ({@code --otlp}).
 */
final class ZipkinServer implements AutoCloseable {

	/**
	 * Spans it keeps, oldest dropped first: about 2,500 orders' worth, in a heap that
	 * holds them.
	 */
	static final int MAX_SPANS = 100_000;

	private final ServiceProcess process;

	private final int port;

	private ZipkinServer(ServiceProcess process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts the server without waiting for it (services that start meanwhile lose no
	 * span: they send in batches, and nothing happens before the platform is ready).
	 * @throws IllegalStateException when its port is taken or its jar is missing
	 */
	static ZipkinServer start(Options options, PrintStream out) throws IOException {
		int port = options.tracing().zipkinPort();
		if (!FreePorts.isFree(port)) {
			throw new IllegalStateException("Port " + port + " is already in use, and the trace view (Zipkin) "
					+ "listens there. Free it, give --zipkin-port PORT, or run without it: --zipkin off.");
		}
		Path jar = options.home().resolve("launcher/target/zipkin-server.jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException("Missing " + jar + ": build first with ./mvnw -DskipTests package");
		}
		Path dataDir = options.dataDir();
		List<String> command = new ArrayList<>(List.of(ServiceArguments.javaExecutable(), "-XX:+UseSerialGC", "-Xms32m",
				"-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(),
				"--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1",
				"--armeria.ports[0].protocols=http", "--zipkin.storage.mem.max-spans=" + MAX_SPANS,
				"--logging.level.root=WARN"));
		ServiceProcess process = new ServiceProcess("zipkin", ServiceProcess.Readiness.listening("127.0.0.1"), command,
				Map.of(), dataDir.resolve("logs/zipkin.log"), dataDir.resolve("run"), port, port, out);
		process.start();
		return new ZipkinServer(process, port);
	}

	/** Where services send their spans. */
	String spanEndpoint() {
		return "http://127.0.0.1:" + this.port + "/api/v2/spans";
	}

	/** Where a user opens the trace view. */
	String uiUrl() {
		return "http://127.0.0.1:" + this.port + "/zipkin/";
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * Waits until it accepts connections.
	 * @throws IllegalStateException when it does not within {@code timeout}
	 */
	void awaitReady(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.process.isReady()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"the trace view (Zipkin) did not listen on port " + this.port + " within " + timeout
								+ "; last log lines:\n  " + String.join("\n  ", this.process.logTail(30)));
			}
			// Polling a child's port; nothing to wait on instead.
			Thread.sleep(100);
		}
	}

	@Override
	public void close() {
		this.process.requestStop();
		try {
			this.process.awaitStop(Duration.ofSeconds(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
