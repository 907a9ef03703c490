package dev.switchboard.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RSA key that signs every token (RS256). Kept in a file readable by its owner only,
 * so that a restart of this service keeps the tokens it issued valid; made on first use.
 * Without a file the key lives as long as the process, and a restart invalidates every
 * token (clients then ask for a new one).
 */
final class SigningKey {

	private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

	private SigningKey() {
	}

	static RSAKey load(Path file) {
		try {
			if (file == null) {
				log.warn("No switchboard.identity.signing-key-file: tokens are signed with a key that ends with "
						+ "this process");
				return generate();
			}
			if (Files.exists(file)) {
				return RSAKey.parse(Files.readString(file));
			}
			RSAKey key = generate();
			Path parent = file.toAbsolutePath().getParent();
			Files.createDirectories(parent);
			Path written = Files.createTempFile(parent, ".signing-key", ".tmp",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(written, key.toJSONString());
			Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
			log.info("Made a new token signing key, {}, kept in {}", key.getKeyID(), file);
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read or write the signing key " + file, ex);
		}
		catch (ParseException ex) {
			throw new IllegalStateException(file + " does not hold an RSA JSON Web Key: " + ex.getMessage(), ex);
		}
	}

	private static RSAKey generate() {
		try {
			return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString())
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot make an RSA key", ex);
		}
	}

}
