package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service (or the embedded Kafka broker) running as its own JVM, with its output in
 * its own log file. If it dies while the platform is up, it is started again with the
 * same ports and configuration.
 */
public final class ServiceProcess {

	/** When a process counts as ready, given its port. */
	@FunctionalInterface
	public interface Readiness {

		boolean isReady(int port);

		/**
		 * A service of the platform on {@code runDir}: its readiness endpoint says UP,
		 * asked as the operator.
		 */
		static Readiness http(Path runDir) {
			HttpClient client = OperatorHttp.client(runDir).connectTimeout(Duration.ofSeconds(1)).build();
			return (port) -> httpReady(client, OperatorHttp.uri(runDir, port, "/actuator/health/readiness"));
		}

		/** A broker: it accepts connections on its port. */
		static Readiness listening(String host) {
			return (port) -> ServiceProcess.listening(host, port);
		}

	}

	private final String name;

	private final Readiness readiness;

	private final List<String> command;

	private final Path log;

	private final int httpPort;

	private final int managementPort;

	private final PrintStream out;

	private volatile Process process;

	private volatile boolean stopping;

	private int restarts;

	private final Path runDir;

	private final Map<String, String> environment;

	/**
	 * @param runDir where the service's pid and port files go (read by
	 * {@link RunningServices})
	 * @param environment added to the service's environment (secrets stay off its command
	 * line, which every user of the machine can read)
	 * @param managementPort where its actuator answers: {@code httpPort} unless it has a
	 * port of its own
	 */
	public ServiceProcess(String name, Readiness readiness, List<String> command, Map<String, String> environment,
			Path log, Path runDir, int httpPort, int managementPort, PrintStream out) {
		this.name = name;
		this.readiness = readiness;
		this.command = List.copyOf(command);
		this.environment = Map.copyOf(environment);
		this.log = log;
		this.runDir = runDir;
		this.httpPort = httpPort;
		this.managementPort = managementPort;
		this.out = out;
	}

	public String name() {
		return this.name;
	}

	public int httpPort() {
		return this.httpPort;
	}

	public int managementPort() {
		return this.managementPort;
	}

	public long pid() {
		return this.process.pid();
	}

	public synchronized void start() throws IOException {
		Files.createDirectories(this.log.getParent());
		ProcessBuilder builder = new ProcessBuilder(this.command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
		builder.environment().putAll(this.environment);
		this.process = builder.start();
		Files.createDirectories(this.runDir);
		Files.writeString(RunningServices.pidFile(this.runDir, name()), Long.toString(this.process.pid()));
		Files.writeString(RunningServices.portFile(this.runDir, name()), Integer.toString(this.httpPort));
		Path management = RunningServices.managementPortFile(this.runDir, name());
		if (this.managementPort != this.httpPort) {
			Files.writeString(management, Integer.toString(this.managementPort));
		}
		else {
			Files.deleteIfExists(management);
		}
		Process started = this.process;
		started.onExit().thenAccept(this::exited);
	}

	private void exited(Process which) {
		if (this.stopping || which != this.process) {
			return;
		}
		this.out.printf("%s (pid %d) exited with code %d; restarting it (log: %s)%n", name(), which.pid(),
				which.exitValue(), this.log);
		// Back off a little on repeated crashes so a broken service does not spin.
		long delay = Math.min(30_000, 500L << Math.min(this.restarts++, 6));
		Thread.ofVirtual().start(() -> {
			try {
				Thread.sleep(delay);
				if (!this.stopping) {
					start();
					this.out.printf("%s restarted, pid %d%n", name(), pid());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				this.out.printf("%s could not be restarted: %s%n", name(), ex.getMessage());
			}
		});
	}

	public boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	public boolean isReady() {
		return this.readiness.isReady(this.managementPort);
	}

	private static boolean listening(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host.replace("[", "").replace("]", ""), port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean httpReady(HttpClient client, URI readiness) {
		try {
			HttpResponse<Void> response = client.send(
					HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding());
			return response.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Asks the service to stop (SIGTERM) without waiting; resumes it first if paused. */
	public void requestStop() {
		this.stopping = true;
		Process p = this.process;
		if (p != null) {
			RunningServices.signal(p.toHandle(), "CONT");
			p.destroy();
		}
	}

	/**
	 * Waits for the service to exit, killing it if it takes longer than {@code grace}.
	 */
	public void awaitStop(Duration grace) throws InterruptedException {
		Process p = this.process;
		if (p != null && !p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
			p.destroyForcibly();
			p.waitFor(5, TimeUnit.SECONDS);
		}
		try {
			Files.deleteIfExists(RunningServices.pidFile(this.runDir, name()));
			Files.deleteIfExists(RunningServices.portFile(this.runDir, name()));
			Files.deleteIfExists(RunningServices.managementPortFile(this.runDir, name()));
		}
		catch (IOException ex) {
			// A stale pid file is harmless: kill checks the process behind the pid.
		}
	}

	/** The last lines of the service's log, for start-up failures. */
	public List<String> logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.log);
			return new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return List.of("(no log: " + ex.getMessage() + ")");
		}
	}

}
