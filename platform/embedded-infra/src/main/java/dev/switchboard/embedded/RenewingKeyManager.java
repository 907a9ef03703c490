package dev.switchboard.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the key and certificate of one PEM file (as {@link CertificateAuthority}
 * writes them), read again at the next handshake after the file has been replaced: a
 * long-lived client of the launcher (its readiness checks, a test suite) keeps working
 * across renewals. The JDK's key managers are fixed at creation; this is the launcher's
 * side of what services get from their {@code ServiceIdentity}, without Spring.
 */
final class RenewingKeyManager extends X509ExtendedKeyManager {

	private static final AtomicLong GENERATIONS = new AtomicLong();

	private final Path file;

	private volatile Loaded current;

	private volatile Loaded previous;

	RenewingKeyManager(Path file) {
		this.file = file;
		this.current = load();
	}

	/**
	 * One reading of the file; its alias names the reading, so that a handshake that
	 * chose it gets its own key and chain even if the file changes meanwhile.
	 */
	private record Loaded(Object version, String alias, PrivateKey key, X509Certificate[] chain) {
	}

	private Loaded load() {
		try {
			Object version = version();
			String pem = Files.readString(this.file);
			return new Loaded(version, "identity-" + GENERATIONS.incrementAndGet(), CertificateAuthority.parseKey(pem),
					new X509Certificate[] { CertificateAuthority.parseCertificate(pem) });
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the identity " + this.file, ex);
		}
	}

	private Object version() throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(this.file, BasicFileAttributes.class);
		return List.of(attributes.lastModifiedTime(), attributes.size(), String.valueOf(attributes.fileKey()));
	}

	private Loaded current() {
		Loaded loaded = this.current;
		try {
			if (!version().equals(loaded.version())) {
				synchronized (this) {
					if (this.current == loaded) {
						this.previous = loaded;
						this.current = load();
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Missing for a moment or half written: keep what works.
		}
		return this.current;
	}

	private Loaded byAlias(String alias) {
		Loaded now = this.current;
		if (now.alias().equals(alias)) {
			return now;
		}
		Loaded before = this.previous;
		return (before != null && before.alias().equals(alias)) ? before : null;
	}

	@Override
	public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
		return current().alias();
	}

	@Override
	public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
		return current().alias();
	}

	@Override
	public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
		return current().alias();
	}

	@Override
	public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
		return current().alias();
	}

	@Override
	public String[] getClientAliases(String keyType, Principal[] issuers) {
		return new String[] { current().alias() };
	}

	@Override
	public String[] getServerAliases(String keyType, Principal[] issuers) {
		return new String[] { current().alias() };
	}

	@Override
	public X509Certificate[] getCertificateChain(String alias) {
		Loaded loaded = byAlias(alias);
		return (loaded != null) ? loaded.chain().clone() : null;
	}

	@Override
	public PrivateKey getPrivateKey(String alias) {
		Loaded loaded = byAlias(alias);
		return (loaded != null) ? loaded.key() : null;
	}

}
