package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The OAuth2 client that {@code ./switchboard load}, {@code bench} and {@code chaos} use:
 * registered with the identity service by {@code up}, with a secret new for every start
 * of the platform, kept in {@code <data-dir>/run/load-client-secret}, readable only by
 * its owner. Its own client, so that its rate limit can be set apart from the demo
 * client's.
 */
public final class LoadClient {

	public static final String ID = ServiceSpec.LOAD_CLIENT;

	private LoadClient() {
	}

	static Path file(Path runDir) {
		return runDir.resolve("load-client-secret");
	}

	public static String create(Path runDir) throws IOException {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		Files.createDirectories(runDir);
		Path file = file(runDir);
		Files.deleteIfExists(file);
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(file, encoded);
		return encoded;
	}

	/** The credentials of the platform running on this data directory. */
	public static AccessTokens.Client of(Path runDir) throws IOException {
		Path file = file(runDir);
		if (!Files.exists(file)) {
			throw new IllegalStateException(
					"no load client secret in " + runDir + " (is ./switchboard up running there?)");
		}
		return new AccessTokens.Client(ID, Files.readString(file).strip());
	}

}
