package dev.switchboard.embedded;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The platform's own certificate authority, kept in a directory: a self-signed root
 * ({@code ca.pem}, and its key {@code ca-key.pem}, readable by its owner only) that
 * issues each service a short-lived certificate naming it, SPIFFE style, by a URI in its
 * subject alternative names: {@code spiffe://switchboard/order}. That URI is the
 * service's identity on every internal hop; host names play no part (the certificates
 * carry {@code localhost}, {@code 127.0.0.1} and the addresses the platform listens on
 * only so that ordinary TLS clients accept them).
 *
 * <p>
 * Keys are ECDSA P-256: a handshake signs with them, and P-256 signs an order of
 * magnitude faster than RSA-2048 does.
 */
public final class CertificateAuthority {

	/** The trust domain of every identity this authority issues. */
	public static final String TRUST_DOMAIN = "switchboard";

	static final String CERTIFICATE_FILE = "ca.pem";

	static final String KEY_FILE = "ca-key.pem";

	private static final Duration ROOT_VALIDITY = Duration.ofDays(5 * 365);

	/** Issued certificates start a little in the past: clocks differ. */
	private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	private static final Pattern PEM = Pattern
		.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final X509Certificate certificate;

	private final PrivateKey key;

	private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
		this.certificate = certificate;
		this.key = key;
	}

	/**
	 * The authority kept in {@code directory}: read when it holds one, created (and
	 * written there, key readable by its owner only) when it is empty or missing.
	 */
	public static CertificateAuthority open(Path directory) {
		Path certificateFile = directory.resolve(CERTIFICATE_FILE);
		Path keyFile = directory.resolve(KEY_FILE);
		try {
			if (Files.exists(certificateFile) || Files.exists(keyFile)) {
				return new CertificateAuthority(parseCertificate(Files.readString(certificateFile)),
						parseKey(Files.readString(keyFile)));
			}
			if (!Files.isDirectory(directory)) {
				Files.createDirectories(directory,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			CertificateAuthority authority = create("Switchboard internal CA");
			writePrivate(keyFile, pem("PRIVATE KEY", authority.key.getEncoded()));
			Files.writeString(certificateFile, authority.certificatePem());
			return authority;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not open the certificate authority in " + directory, ex);
		}
	}

	/**
	 * A TLS context that presents the key and certificate of {@code identity} (one PEM
	 * file, as {@link Issued#writeTo} writes it), read again after the file is renewed,
	 * and trusts the authority certificate in {@code trust}: what the launcher's tools
	 * use to call the services.
	 */
	public static SSLContext tlsContext(Path identity, Path trust) {
		try {
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			trusted.setCertificateEntry("authority", parseCertificate(Files.readString(trust)));
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(new KeyManager[] { new RenewingKeyManager(identity) }, trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the identity " + identity + " or " + trust, ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not use the identity " + identity, ex);
		}
	}

	/**
	 * A new authority that lives in memory only (tests: "a certificate from another CA").
	 */
	public static CertificateAuthority create(String name) {
		KeyPair pair = newKeyPair();
		Instant now = Instant.now();
		X500Name subject = new X500Name("CN=" + name + ",O=Switchboard");
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
				Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(ROOT_VALIDITY)), subject, pair.getPublic());
		try {
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			builder.addExtension(Extension.subjectKeyIdentifier, false,
					extensions.createSubjectKeyIdentifier(pair.getPublic()));
			return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
		}
		catch (CertIOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Could not make a certificate authority", ex);
		}
	}

	/** The SPIFFE-style identity of {@code service}. */
	public static URI identityOf(String service) {
		return URI.create("spiffe://" + TRUST_DOMAIN + "/" + service);
	}

	public X509Certificate certificate() {
		return this.certificate;
	}

	/** This authority's certificate, as a PEM file holds it: what every party trusts. */
	public String certificatePem() {
		return pem("CERTIFICATE", encoded(this.certificate));
	}

	/** A certificate for {@code service}, valid from now for {@code lifetime}. */
	public Issued issue(String service, Duration lifetime) {
		return issue(service, lifetime, List.of());
	}

	/**
	 * A certificate for {@code service}, valid from now for {@code lifetime}, that also
	 * names {@code addresses} (IP address literals): where it listens besides loopback,
	 * for clients that check host names.
	 */
	public Issued issue(String service, Duration lifetime, List<String> addresses) {
		Instant now = Instant.now();
		return issue(service, now.minus(CLOCK_SKEW), now.plus(lifetime), addresses);
	}

	/**
	 * A certificate for {@code service} valid between the two instants (tests: an expired
	 * one).
	 */
	public Issued issue(String service, Instant notBefore, Instant notAfter) {
		return issue(service, notBefore, notAfter, List.of());
	}

	private Issued issue(String service, Instant notBefore, Instant notAfter, List<String> addresses) {
		List<GeneralName> names = new ArrayList<>(
				List.of(new GeneralName(GeneralName.uniformResourceIdentifier, identityOf(service).toString()),
						new GeneralName(GeneralName.dNSName, "localhost"),
						new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
		addresses.stream()
			.filter((address) -> !address.equals("127.0.0.1"))
			// BouncyCastle takes an IPv6 literal without a zone (fe80::1%eth0).
			.map((address) -> address.replaceFirst("%.*$", ""))
			.forEach((address) -> names.add(new GeneralName(GeneralName.iPAddress, address)));
		KeyPair pair = newKeyPair();
		X500Name issuer = X500Name.getInstance(this.certificate.getSubjectX500Principal().getEncoded());
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(notBefore),
				Date.from(notAfter), new X500Name("CN=" + service + ",O=Switchboard"), pair.getPublic());
		try {
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
			builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
					new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(names.toArray(GeneralName[]::new)));
			builder.addExtension(Extension.subjectKeyIdentifier, false,
					extensions.createSubjectKeyIdentifier(pair.getPublic()));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					extensions.createAuthorityKeyIdentifier(this.certificate));
			return new Issued(service, pair.getPrivate(), sign(builder, this.key), this.certificate);
		}
		catch (CertIOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Could not issue a certificate for " + service, ex);
		}
	}

	/**
	 * A service's key and certificate.
	 *
	 * @param service whom it names
	 * @param key its private key
	 * @param certificate its certificate
	 * @param authority the certificate of the authority that issued it
	 */
	public record Issued(String service, PrivateKey key, X509Certificate certificate, X509Certificate authority) {

		/**
		 * The key and the certificate in one PEM text: one file, so that whoever reloads
		 * it never sees a new key with an old certificate.
		 */
		public String pem() {
			return CertificateAuthority.pem("PRIVATE KEY", this.key.getEncoded())
					+ CertificateAuthority.pem("CERTIFICATE", encoded(this.certificate));
		}

		/**
		 * Writes {@link #pem()} to {@code file}, readable by its owner only, replacing
		 * what was there in one step.
		 */
		public void writeTo(Path file) throws IOException {
			replacePrivate(file, (out) -> out.write(pem().getBytes(StandardCharsets.US_ASCII)));
		}

		/**
		 * Writes the key and certificate as a PKCS #12 key store (what the PostgreSQL
		 * JDBC driver reads), readable by its owner only, replacing what was there in one
		 * step.
		 */
		public void writeKeyStoreTo(Path file, char[] password) throws IOException {
			try {
				KeyStore store = KeyStore.getInstance("PKCS12");
				store.load(null, null);
				// The alias the PostgreSQL driver looks for.
				store.setKeyEntry("user", this.key, password, new Certificate[] { this.certificate });
				replacePrivate(file, (out) -> {
					try {
						store.store(out, password);
					}
					catch (GeneralSecurityException ex) {
						throw new IOException("Could not write the key store of " + this.service, ex);
					}
				});
			}
			catch (GeneralSecurityException ex) {
				throw new IOException("Could not make the key store of " + this.service, ex);
			}
		}

		public Instant notAfter() {
			return this.certificate.getNotAfter().toInstant();
		}

	}

	private static void writePrivate(Path file, String content) throws IOException {
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(file, content);
	}

	/** Writes what goes in a file. */
	@FunctionalInterface
	private interface Content {

		void writeTo(OutputStream out) throws IOException;

	}

	/**
	 * Replaces {@code file} in one step with a file readable by its owner only: written
	 * beside it, then renamed over it, so a reader sees the old file or the new one.
	 */
	private static void replacePrivate(Path file, Content content) throws IOException {
		Path next = file.resolveSibling(file.getFileName() + ".next");
		Files.deleteIfExists(next);
		Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try (OutputStream out = Files.newOutputStream(next)) {
			content.writeTo(out);
		}
		Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static KeyPair newKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("This JDK cannot make P-256 keys", ex);
		}
	}

	private static BigInteger serial() {
		return new BigInteger(127, RANDOM).add(BigInteger.ONE);
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
			throws GeneralSecurityException {
		try {
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
		}
		catch (OperatorCreationException ex) {
			throw new GeneralSecurityException(ex);
		}
	}

	private static byte[] encoded(X509Certificate certificate) {
		try {
			return certificate.getEncoded();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private static byte[] block(String pem, String type) {
		Matcher matcher = PEM.matcher(pem);
		while (matcher.find()) {
			if (matcher.group(1).equals(type)) {
				return Base64.getMimeDecoder().decode(matcher.group(2));
			}
		}
		throw new IllegalArgumentException("no " + type + " in the PEM text");
	}

	static X509Certificate parseCertificate(String pem) {
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(block(pem, "CERTIFICATE")));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("not a certificate: " + ex.getMessage(), ex);
		}
	}

	static PrivateKey parseKey(String pem) {
		try {
			return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(block(pem, "PRIVATE KEY")));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("not an EC private key: " + ex.getMessage(), ex);
		}
	}

}
