package dev.switchboard.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

}
