package dev.switchboard.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The services of a running platform as seen from outside it: the launcher keeps each
 * service's current pid in {@code <data-dir>/run/<service>.pid}, which lets
 * {@code switchboard kill} find it.
 */
final class RunningServices {

	static final String USAGE = """
			usage: switchboard kill SERVICE [--data-dir DIR]
			  sends SIGKILL to that service of the platform running on DIR (default ./var); its
			  launcher reports the crash and restarts it. SERVICE is one of""" + " " + names();

	private RunningServices() {
	}

	static Path pidFile(Path dataDir, String service) {
		return dataDir.resolve("run").resolve(service + ".pid");
	}

	/** {@code switchboard kill SERVICE [--data-dir DIR]}; returns the exit code. */
	static int kill(List<String> args, PrintStream out) throws IOException {
		if (args.isEmpty() || args.getFirst().startsWith("--")) {
			throw new IllegalArgumentException("which service?\n" + USAGE);
		}
		String service = args.getFirst();
		if (ServiceSpec.PLATFORM.stream().noneMatch((s) -> s.name().equals(service))) {
			throw new IllegalArgumentException("no service named " + service + "\n" + USAGE);
		}
		Path[] dataDir = { Path.of(System.getenv().getOrDefault("SWITCHBOARD_DATA_DIR", "var")) };
		CommandLine.parse(args.subList(1, args.size()), USAGE, (option, value) -> {
			if (!option.equals("--data-dir")) {
				throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
			}
			dataDir[0] = Path.of(value);
		});
		Path pidFile = pidFile(dataDir[0].toAbsolutePath().normalize(), service);
		Optional<ProcessHandle> process = Files.exists(pidFile)
				? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())) : Optional.empty();
		// The pid could have been reused by an unrelated process since: check it is the service.
		process = process.filter((p) -> p.info().commandLine().orElse("").contains(service + ".jar"));
		if (process.isEmpty()) {
			throw new IllegalStateException("no running " + service + " found for the platform in " + dataDir[0]
					+ " (is ./switchboard up running there?)");
		}
		process.get().destroyForcibly();
		out.printf("killed %s (pid %d); the launcher will restart it%n", service, process.get().pid());
		return 0;
	}

	private static String names() {
		return String.join(", ", ServiceSpec.PLATFORM.stream().map(ServiceSpec::name).toList());
	}

}
