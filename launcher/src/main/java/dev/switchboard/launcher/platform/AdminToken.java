package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The secret that guards the services' admin endpoints ({@code /admin/faults}): new for
 * every start of the platform, handed to each service in its environment, and kept in
 * {@code <data-dir>/run/admin-token}, readable only by its owner, for
 * {@code switchboard fault}.
 */
public final class AdminToken {

	public static final String ENVIRONMENT_VARIABLE = "SWITCHBOARD_ADMIN_TOKEN";

	private AdminToken() {
	}

	static Path file(Path runDir) {
		return runDir.resolve("admin-token");
	}

	public static String create(Path runDir) throws IOException {
		return SecretFile.create(file(runDir));
	}

	public static String read(Path runDir) throws IOException {
		return SecretFile.read(file(runDir), "admin token");
	}

}
