package dev.switchboard.launcher;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** {@code --data-dir}: the platform a command works on, as every command names it. */
public final class DataDirOption {

	@Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "var",
			description = "the platform's data directory (default ./var; env SWITCHBOARD_DATA_DIR)")
	Path dataDir;

	public Path path() {
		return this.dataDir.toAbsolutePath().normalize();
	}

}
