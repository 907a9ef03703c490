package dev.switchboard.launcher.up;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server left running by a launcher that was killed (SIGKILL cannot be
 * caught) holds the data directory; the next start stops it first. Only a process that
 * really is a postgres server on this data directory is touched.
 */
final class StalePostgres {

	private StalePostgres() {
	}

	static void stopLeftover(Path dataDir) throws Exception {
		Path pidFile = dataDir.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		List<String> lines = Files.readAllLines(pidFile);
		if (lines.isEmpty()) {
			return;
		}
		long pid = Long.parseLong(lines.getFirst().trim());
		Optional<ProcessHandle> process = ProcessHandle.of(pid)
			.filter((p) -> p.info().command().map((c) -> c.endsWith("postgres")).orElse(false));
		if (process.isPresent()) {
			process.get().destroy();
			process.get().onExit().get(30, TimeUnit.SECONDS);
		}
	}

}
