package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.embedded.CertificateAuthority;

/**
 * Every service's identity on the internal hops, kept current: a certificate from the
 * platform's {@link CertificateAuthority} naming it ({@code spiffe://switchboard/order}),
 * written with its key to {@code run/tls/<name>.pem} (owner-only, replaced in one step),
 * and the authority's certificate in {@code run/tls/trust.pem}. Each is renewed at half
 * its lifetime; services read a renewed file within a second and use it from their next
 * connection on.
 *
 * <p>
 * Besides the services, the launcher's own tools ({@code bench}, tests) have an identity,
 * {@value #OPERATOR}, which the access policy grants only health checks.
 */
public final class ServiceCertificates implements AutoCloseable {

	/** The identity of the launcher's own tools. */
	public static final String OPERATOR = "operator";

	private final CertificateAuthority authority;

	private final Path directory;

	private final Duration lifetime;

	private final List<String> identities;

	private final PrintStream out;

	private final AtomicInteger renewals = new AtomicInteger();

	private final ScheduledExecutorService renewer = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("certificate-renewer").factory());

	private ServiceCertificates(CertificateAuthority authority, Path directory, Duration lifetime,
			List<String> identities, PrintStream out) {
		this.authority = authority;
		this.directory = directory;
		this.lifetime = lifetime;
		this.identities = identities;
		this.out = out;
	}

	/**
	 * Issues a certificate to each of {@code services} and to the operator, now, and
	 * renews them all at half their lifetime until closed.
	 */
	public static ServiceCertificates start(CertificateAuthority authority, Path runDir, Duration lifetime,
			List<String> services, PrintStream out) throws IOException {
		Path directory = directory(runDir);
		if (!Files.isDirectory(directory)) {
			Files.createDirectories(directory,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		List<String> identities = new java.util.ArrayList<>(services);
		identities.add(OPERATOR);
		ServiceCertificates certificates = new ServiceCertificates(authority, directory, lifetime,
				List.copyOf(identities), out);
		Files.writeString(trustFile(runDir), authority.certificatePem());
		certificates.issueAll();
		long every = lifetime.toMillis() / 2;
		certificates.renewer.scheduleAtFixedRate(certificates::renew, every, every, TimeUnit.MILLISECONDS);
		return certificates;
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
			this.renewals.incrementAndGet();
		}
		catch (IOException | UncheckedIOException | IllegalStateException ex) {
			// Services keep their current certificates, valid for another half lifetime;
			// the next renewal tries again.
			this.out.println("Could not renew the services' certificates: " + ex.getMessage());
		}
	}

	private void issueAll() throws IOException {
		for (String identity : this.identities) {
			this.authority.issue(identity, this.lifetime).writeTo(this.directory.resolve(identity + ".pem"));
		}
	}

	@Override
	public void close() {
		this.renewer.shutdownNow();
	}

}
