package dev.switchboard.embedded;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's certificate authority: made once per directory, its key readable by its
 * owner only, issuing certificates that name a service by its SPIFFE URI and that verify
 * against it.
 */
class CertificateAuthorityTest {

	@TempDir
	Path directory;

	@Test
	void isMadeOnceAndKeptWithItsKeyReadableByItsOwnerOnly() throws Exception {
		CertificateAuthority made = CertificateAuthority.open(this.directory.resolve("ca"));
		CertificateAuthority reopened = CertificateAuthority.open(this.directory.resolve("ca"));

		assertThat(reopened.certificate()).isEqualTo(made.certificate());
		assertThat(
				PosixFilePermissions.toString(Files.getPosixFilePermissions(this.directory.resolve("ca/ca-key.pem"))))
			.isEqualTo("rw-------");
		assertThat(made.certificate().getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);
	}

	@Test
	void issuesShortLivedCertificatesNamingTheServiceThatVerifyAgainstIt() throws Exception {
		CertificateAuthority authority = CertificateAuthority.open(this.directory.resolve("ca"));
		CertificateAuthority.Issued issued = authority.issue("order", Duration.ofMinutes(10));
		X509Certificate certificate = issued.certificate();

		certificate.verify(authority.certificate().getPublicKey());
		assertThat(certificate.getSubjectAlternativeNames()).contains(List.of(6, "spiffe://switchboard/order"));
		assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
		assertThat(issued.notAfter()).isBetween(Instant.now().plus(Duration.ofMinutes(9)),
				Instant.now().plus(Duration.ofMinutes(11)));
		assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");

		Path file = this.directory.resolve("order.pem");
		issued.writeTo(file);
		issued.writeTo(file);
		assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----").contains("BEGIN CERTIFICATE");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(CertificateAuthority.identityOf("order")).hasToString("spiffe://switchboard/order");
	}

	/**
	 * Bound beyond loopback, the platform's certificates also name the addresses it
	 * listens on, so that clients which check host names accept them there too.
	 */
	@Test
	void namesTheAddressesThePlatformListensOn() throws Exception {
		CertificateAuthority authority = CertificateAuthority.open(this.directory.resolve("ca"));

		assertThat(authority.issue("order", Duration.ofMinutes(10)).certificate().getSubjectAlternativeNames())
			.containsExactlyInAnyOrder(List.of(6, "spiffe://switchboard/order"), List.of(2, "localhost"),
					List.of(7, "127.0.0.1"));
		assertThat(authority.issue("order", Duration.ofMinutes(10), List.of("10.1.2.3", "127.0.0.1", "fe80::1%eth0"))
			.certificate()
			.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(6, "spiffe://switchboard/order"),
					List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "10.1.2.3"),
					List.of(7, "fe80:0:0:0:0:0:0:1"));
	}

	/**
	 * A tool's TLS context keeps presenting a valid certificate across renewals: the next
	 * handshake after the file is replaced presents the new one.
	 */
	@Test
	void aToolsTlsContextPresentsTheRenewedCertificate() throws Exception {
		CertificateAuthority authority = CertificateAuthority.open(this.directory.resolve("ca"));
		Path trust = this.directory.resolve("trust.pem");
		Files.writeString(trust, authority.certificatePem());
		Path operator = this.directory.resolve("operator.pem");
		authority.issue("operator", Duration.ofMinutes(5)).writeTo(operator);
		authority.issue("server", Duration.ofMinutes(5)).writeTo(this.directory.resolve("server.pem"));
		SSLContext client = CertificateAuthority.tlsContext(operator, trust);
		SSLContext server = CertificateAuthority.tlsContext(this.directory.resolve("server.pem"), trust);
		try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
			listener.setNeedClientAuth(true);
			BigInteger first = presented(client, listener);
			CertificateAuthority.Issued renewed = authority.issue("operator", Duration.ofMinutes(5));
			renewed.writeTo(operator);
			assertThat(presented(client, listener)).isEqualTo(renewed.certificate().getSerialNumber())
				.isNotEqualTo(first);
		}
	}

	/** The serial of the client certificate {@code client} shows {@code listener}. */
	private static BigInteger presented(SSLContext client, SSLServerSocket listener) throws Exception {
		CompletableFuture<BigInteger> seen = CompletableFuture.supplyAsync(() -> {
			try (SSLSocket accepted = (SSLSocket) listener.accept()) {
				accepted.startHandshake();
				return ((X509Certificate) accepted.getSession().getPeerCertificates()[0]).getSerialNumber();
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
			.createSocket("127.0.0.1", listener.getLocalPort())) {
			socket.startHandshake();
			socket.getOutputStream().flush();
			return seen.get(10, TimeUnit.SECONDS);
		}
	}

}
