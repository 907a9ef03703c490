package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret made for one start of the platform (256 random bits, URL-safe Base64), kept in
 * a file of the run directory that only its owner can read.
 */
final class SecretFile {

	private SecretFile() {
	}

	static String create(Path file) throws IOException {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		Files.createDirectories(file.getParent());
		Files.deleteIfExists(file);
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(file, encoded);
		return encoded;
	}

	/**
	 * @param what what the secret is, for the message when it is missing
	 */
	static String read(Path file, String what) throws IOException {
		if (!Files.exists(file)) {
			throw new IllegalStateException(
					"no " + what + " in " + file.getParent() + " (is ./switchboard up running there?)");
		}
		return Files.readString(file).strip();
	}

}
