package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.embedded.CertificateAuthority;

/**
 * Every service's identity on the internal hops, kept current: a certificate from the
 * platform's {@link CertificateAuthority} naming it ({@code spiffe://switchboard/order}),
 * written with its key to {@code run/tls/<name>.pem} (owner-only, replaced in one step),
 * and the authority's certificate in {@code run/tls/trust.pem}; a PKCS #12 copy of each,
 * {@code run/tls/<name>.p12}, is what the PostgreSQL driver reads. Each is renewed at
 * half its lifetime; services read a renewed file within a second and use it from their
 * next connection on.
 *
 * <p>
 * Besides the services, the launcher's own tools ({@code bench}, tests) have an identity,
 * {@value #OPERATOR}, which the access policy grants only health checks.
 */
public final class ServiceCertificates implements AutoCloseable {

	/** The identity of the launcher's own tools. */
	public static final String OPERATOR = "operator";

	/**
	 * The password of the PKCS #12 copies of the keys, which the PostgreSQL driver reads.
	 * Not a secret: the format wants one; the files are readable by their owner only.
	 */
	private static final String KEY_STORE_PASSWORD = "switchboard";

	private final List<Runnable> renewalListeners = new CopyOnWriteArrayList<>();

	private final CertificateAuthority authority;

	private final Path directory;

	private final Duration lifetime;

	private final List<String> identities;

	private final List<String> addresses;

	private final PrintStream out;

	private final AtomicInteger renewals = new AtomicInteger();

	private final ScheduledExecutorService renewer = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("certificate-renewer").factory());

	private ServiceCertificates(CertificateAuthority authority, Path directory, Duration lifetime,
			List<String> identities, List<String> addresses, PrintStream out) {
		this.authority = authority;
		this.directory = directory;
		this.lifetime = lifetime;
		this.identities = identities;
		this.addresses = addresses;
		this.out = out;
	}

	/**
	 * Issues a certificate to each of {@code services} and to the operator, now, and
	 * renews them all at half their lifetime until closed. Each also names
	 * {@code addresses} (IP addresses), where the platform listens besides loopback.
	 */
	public static ServiceCertificates start(CertificateAuthority authority, Path runDir, Duration lifetime,
			List<String> services, List<String> addresses, PrintStream out) throws IOException {
		Path directory = directory(runDir);
		if (!Files.isDirectory(directory)) {
			Files.createDirectories(directory,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		List<String> identities = new java.util.ArrayList<>(services);
		identities.add(OPERATOR);
		ServiceCertificates certificates = new ServiceCertificates(authority, directory, lifetime,
				List.copyOf(identities), List.copyOf(addresses), out);
		Files.writeString(trustFile(runDir), authority.certificatePem());
		certificates.issueAll();
		long every = lifetime.toMillis() / 2;
		certificates.renewer.scheduleAtFixedRate(certificates::renew, every, every, TimeUnit.MILLISECONDS);
		return certificates;
	}

	/** Removes every identity a past run left in {@code runDir}. */
	public static void removeAll(Path runDir) throws IOException {
		Path directory = directory(runDir);
		if (Files.isDirectory(directory)) {
			try (var files = Files.list(directory)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(directory);
		}
	}

	/** Where the identities of a platform whose run directory is {@code runDir} are. */
	public static Path directory(Path runDir) {
		return runDir.resolve("tls");
	}

	/** The key and certificate of {@code identity}, one PEM file. */
	public static Path identityFile(Path runDir, String identity) {
		return directory(runDir).resolve(identity + ".pem");
	}

	/** The certificate of the authority every party trusts. */
	public static Path trustFile(Path runDir) {
		return directory(runDir).resolve("trust.pem");
	}

	/** The key and certificate of {@code identity} as a PKCS #12 key store. */
	public static Path keyStoreFile(Path runDir, String identity) {
		return directory(runDir).resolve(identity + ".p12");
	}

	/**
	 * How a JDBC connection to the platform's PostgreSQL authenticates as
	 * {@code identity}: TLS, the server's certificate checked against the authority, the
	 * client's key store.
	 */
	public static Map<String, String> postgresClient(Path runDir, String identity) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("sslmode", "verify-ca");
		properties.put("sslrootcert", trustFile(runDir).toString());
		properties.put("sslkey", keyStoreFile(runDir, identity).toString());
		properties.put("sslpassword", KEY_STORE_PASSWORD);
		return properties;
	}

	/** {@link #postgresClient} as the parameters of a JDBC URL. */
	public static String postgresParameters(Path runDir, String identity) {
		StringBuilder parameters = new StringBuilder();
		postgresClient(runDir, identity).forEach((key, value) -> parameters.append(parameters.isEmpty() ? "" : "&")
			.append(key)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return parameters.toString();
	}

	/**
	 * Runs {@code listener} after each renewal (the PostgreSQL server reloads its own).
	 */
	public void afterRenewal(Runnable listener) {
		this.renewalListeners.add(listener);
	}

	/** How many times every certificate was renewed since the start. */
	public int renewals() {
		return this.renewals.get();
	}

	/** Renews every certificate now (tests: rotation under load). */
	public synchronized void renewNow() {
		renew();
	}

	private synchronized void renew() {
		try {
			issueAll();
			this.renewalListeners.forEach(Runnable::run);
			this.renewals.incrementAndGet();
		}
		catch (IOException | RuntimeException ex) {
			// Services keep their current certificates, valid for another half lifetime;
			// the next renewal tries again.
			this.out.println("Could not renew the services' certificates: " + ex.getMessage());
		}
	}

	private void issueAll() throws IOException {
		for (String identity : this.identities) {
			CertificateAuthority.Issued issued = this.authority.issue(identity, this.lifetime, this.addresses);
			issued.writeTo(this.directory.resolve(identity + ".pem"));
			issued.writeKeyStoreTo(this.directory.resolve(identity + ".p12"), KEY_STORE_PASSWORD.toCharArray());
		}
	}

	@Override
	public void close() {
		this.renewer.shutdownNow();
	}

}
