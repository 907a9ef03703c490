package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.nio.file.Path;

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
		return SecretFile.create(file(runDir));
	}

	/** The credentials of the platform running on this data directory. */
	public static AccessTokens.Client of(Path runDir) throws IOException {
		return new AccessTokens.Client(ID, SecretFile.read(file(runDir), "load client secret"));
	}

}
