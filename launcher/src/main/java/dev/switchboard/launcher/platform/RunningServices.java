package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The services of a running platform as seen from outside it. The launcher keeps each
 * service's pid and HTTP port in {@code <data-dir>/run/<service>.pid} and {@code .port},
 * which lets {@code switchboard kill | pause | resume | fault} find it.
 */
public final class RunningServices {

	private RunningServices() {
	}

	public static Path pidFile(Path runDir, String service) {
		return runDir.resolve(service + ".pid");
	}

	public static Path portFile(Path runDir, String service) {
		return runDir.resolve(service + ".port");
	}

	/**
	 * Where a service that faces users (the gateway) has its actuator: a port of its own,
	 * on loopback. The other services have none; their actuator is on their (loopback)
	 * HTTP port.
	 */
	public static Path managementPortFile(Path runDir, String service) {
		return runDir.resolve(service + ".management-port");
	}

	/** The port of a service's actuator: its management port if it has one, else HTTP. */
	public static int managementPort(Path runDir, String service) throws IOException {
		Path management = managementPortFile(runDir, service);
		Path file = Files.exists(management) ? management : portFile(runDir, service);
		return Integer.parseInt(Files.readString(file).strip());
	}

	/**
	 * {@code switchboard kill|pause|resume SERVICE [--data-dir DIR]}; returns the exit
	 * code.
	 */
	public static int signal(String command, Target target, PrintStream out) throws IOException {
		ProcessHandle process = target.process();
		switch (command) {
			case "kill" -> {
				process.destroyForcibly();
				out.printf("killed %s (pid %d); the launcher will restart it%n", target.service(), process.pid());
			}
			case "pause" -> {
				signal(process, "STOP");
				out.printf("paused %s (pid %d); ./switchboard resume %s lets it go on%n", target.service(),
						process.pid(), target.service());
			}
			case "resume" -> {
				signal(process, "CONT");
				out.printf("resumed %s (pid %d)%n", target.service(), process.pid());
			}
			default -> throw new IllegalArgumentException("unknown command " + command);
		}
		return 0;
	}

	/**
	 * Sends a signal the JDK has no API for (SIGSTOP, SIGCONT) through the system's
	 * {@code kill}; quietly does nothing where there is none.
	 */
	public static void signal(ProcessHandle process, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
				.redirectErrorStream(true)
				.start();
			if (kill.waitFor() != 0 && "STOP".equals(signal)) {
				throw new IllegalStateException("could not pause pid " + process.pid() + ": "
						+ new String(kill.getInputStream().readAllBytes()).strip());
			}
		}
		catch (IOException ex) {
			if ("STOP".equals(signal)) {
				throw new IllegalStateException("could not pause pid " + process.pid() + ": " + ex.getMessage());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** What can be killed besides the services, when the platform runs them embedded. */
	static final List<String> INFRASTRUCTURE = List.of("kafka", "postgres");

	private static String names() {
		return String.join(", ", ServiceSpec.PLATFORM.stream().map(ServiceSpec::name).toList());
	}

	/** What a shell completes a service name with. */
	public static final class Names implements Iterable<String> {

		@Override
		public java.util.Iterator<String> iterator() {
			List<String> names = new java.util.ArrayList<>(
					ServiceSpec.PLATFORM.stream().map(ServiceSpec::name).toList());
			names.addAll(INFRASTRUCTURE);
			return names.iterator();
		}

	}

	/**
	 * A service of the platform on a data directory, named by the first argument.
	 */
	public record Target(String service, Path runDir) {

		/**
		 * The service named {@code service} of the platform on {@code dataDir}.
		 * @param infrastructure whether the embedded {@code kafka} and {@code postgres}
		 * may be named too
		 * @throws IllegalArgumentException when there is no such service
		 */
		public static Target of(String service, Path dataDir, boolean infrastructure) {
			if (ServiceSpec.PLATFORM.stream().noneMatch((s) -> s.name().equals(service))
					&& !(infrastructure && INFRASTRUCTURE.contains(service))) {
				throw new IllegalArgumentException("no service named " + service + "; the services are " + names()
						+ (infrastructure ? ", and kafka, postgres (the embedded ones)" : ""));
			}
			return new Target(service, dataDir.resolve("run"));
		}

		public ProcessHandle process() throws IOException {
			Path pidFile = pidFile(this.runDir, this.service);
			Optional<ProcessHandle> process = Files.exists(pidFile)
					? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())) : Optional.empty();
			// The pid could have been reused by an unrelated process since: check it is
			// the service.
			return process.filter((p) -> isTheProcess(p.info().commandLine().orElse(""))).orElseThrow(this::notRunning);
		}

		private boolean isTheProcess(String commandLine) {
			return switch (this.service) {
				case "kafka" -> commandLine.contains("-Dswitchboard.process=kafka");
				// The postmaster, run on this platform's data directory.
				case "postgres" ->
					commandLine.contains("postgres") && commandLine.contains(this.runDir.getParent().toString());
				default -> commandLine.contains(this.service + ".jar");
			};
		}

		public int httpPort() throws IOException {
			process();
			return Integer.parseInt(Files.readString(portFile(this.runDir, this.service)).strip());
		}

		/** The port of its actuator. */
		public int managementPort() throws IOException {
			process();
			return RunningServices.managementPort(this.runDir, this.service);
		}

		private IllegalStateException notRunning() {
			return new IllegalStateException("no running " + this.service + " found for the platform in "
					+ this.runDir.getParent() + " (is ./switchboard up running there?)");
		}

	}

}
