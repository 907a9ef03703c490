package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

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
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		Files.createDirectories(runDir);
		Path file = file(runDir);
		Files.deleteIfExists(file);
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(file, token);
		return token;
	}

	public static String read(Path runDir) throws IOException {
		Path file = file(runDir);
		if (!Files.exists(file)) {
			throw new IllegalStateException("no admin token in " + runDir + " (is ./switchboard up running there?)");
		}
		return Files.readString(file).strip();
	}

}
