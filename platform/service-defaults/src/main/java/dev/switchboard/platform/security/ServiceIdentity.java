package dev.switchboard.platform.security;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.pem.PemContent;

/**
 * Who this service is on the platform's internal hops: its key and short-lived
 * certificate (one PEM file, written whole by the launcher's certificate authority) and
 * the authorities it trusts (another PEM file). The certificate names the service by a
 * URI, {@code spiffe://switchboard/<service>}; that name, not a host name, is what peers
 * check.
 *
 * <p>
 * The key and trust managers it hands out are grpc-java's reloadable ones:
 * {@link #reload()} swaps what they hold when the files change, so connections made after
 * a rotation present the new certificate while those already open carry on undisturbed.
 * Key material is never logged.
 */
public final class ServiceIdentity implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ServiceIdentity.class);

	private static final String SCHEME_AND_DOMAIN = "spiffe://switchboard/";

	private static final char[] NO_PASSWORD = new char[0];

	/** The URI kind of subject alternative name (RFC 5280). */
	private static final int URI_NAME = 6;

	private final Path identityFile;

	private final Path trustFile;

	private final ReloadingKeyManager keyManager = new ReloadingKeyManager();

	private final ReloadingTrustManager trustManager = new ReloadingTrustManager();

	private volatile Object identityLoaded;

	private volatile Object trustLoaded;

	private volatile X509Certificate certificate;

	private volatile String name;

	private ScheduledExecutorService reloader;

	/**
	 * Reads both files.
	 * @throws IllegalStateException when either is missing or holds no usable key,
	 * certificate or identity
	 */
	public ServiceIdentity(Path identityFile, Path trustFile) {
		this.identityFile = identityFile;
		this.trustFile = trustFile;
		try {
			load();
		}
		catch (IOException | GeneralSecurityException | RuntimeException ex) {
			throw new IllegalStateException("Cannot use the service identity in " + identityFile + " (trusting "
					+ trustFile + "): " + ex.getMessage(), ex);
		}
	}

	/**
	 * Checks both files for a new version every {@code interval} from now on, until
	 * closed. From now, not from when the application is ready: a service that starts
	 * slowly connects (to Kafka, to its database) before that, with a certificate that
	 * may by then have been renewed, and expired.
	 */
	public synchronized ServiceIdentity reloadingEvery(Duration interval) {
		if (this.reloader == null) {
			this.reloader = Executors
				.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("identity-reloader").factory());
			this.reloader.scheduleWithFixedDelay(this::reload, interval.toMillis(), interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		return this;
	}

	/** Stops checking the files. */
	@Override
	public synchronized void close() {
		if (this.reloader != null) {
			this.reloader.shutdownNow();
		}
	}

	/** The service this identity names, e.g. {@code order}. */
	public String name() {
		return this.name;
	}

	/** The certificate presented now. */
	public X509Certificate certificate() {
		return this.certificate;
	}

	public X509ExtendedKeyManager keyManager() {
		return this.keyManager;
	}

	/** Trusts any peer whose chain leads to a trusted authority, whatever it names. */
	public X509ExtendedTrustManager trustManager() {
		return this.trustManager;
	}

	/**
	 * Trusts a server only if its chain leads to a trusted authority and its certificate
	 * names {@code service}: a client that meant to reach inventory does not talk to
	 * anything else holding a platform certificate.
	 */
	public X509ExtendedTrustManager trustManagerFor(String service) {
		return new ExpectedPeer(this.trustManager, service);
	}

	/**
	 * Reads the files again if they changed since the last read.
	 * @return whether a new certificate or new trusted authorities are now in use
	 */
	public synchronized boolean reload() {
		try {
			return load();
		}
		catch (IOException | GeneralSecurityException | RuntimeException ex) {
			// A half-written file or a bad one: keep serving with what was loaded; the
			// next check sees the next version.
			log.warn("Kept the current certificate: {} could not be read ({})", this.identityFile, ex.getMessage());
			return false;
		}
	}

	private boolean load() throws IOException, GeneralSecurityException {
		boolean changed = false;
		Object trustModified = version(this.trustFile);
		if (!trustModified.equals(this.trustLoaded)) {
			List<X509Certificate> authorities = PemContent.load(this.trustFile).getCertificates();
			if (authorities.isEmpty()) {
				throw new CertificateException("no certificate in " + this.trustFile);
			}
			this.trustManager.trust(authorities);
			this.trustLoaded = trustModified;
			changed = true;
		}
		Object identityModified = version(this.identityFile);
		if (!identityModified.equals(this.identityLoaded)) {
			PemContent pem = PemContent.load(this.identityFile);
			PrivateKey key = pem.getPrivateKey();
			List<X509Certificate> chain = pem.getCertificates();
			if (key == null || chain.isEmpty()) {
				throw new CertificateException("a private key and a certificate are needed in " + this.identityFile);
			}
			X509Certificate leaf = chain.getFirst();
			String service = serviceOf(leaf).orElseThrow(() -> new CertificateException(
					"the certificate in " + this.identityFile + " names no " + SCHEME_AND_DOMAIN + "... identity"));
			if (this.name != null && !this.name.equals(service)) {
				throw new CertificateException("the new certificate names " + service + ", not " + this.name);
			}
			this.keyManager.use(key, chain);
			boolean renewal = this.certificate != null;
			this.certificate = leaf;
			this.name = service;
			this.identityLoaded = identityModified;
			log.info("{} certificate for {}: serial {}, valid until {}", renewal ? "Renewed" : "Loaded the",
					SCHEME_AND_DOMAIN + service, leaf.getSerialNumber().toString(16), leaf.getNotAfter().toInstant());
			changed = true;
		}
		return changed;
	}

	/**
	 * What tells one version of a file from the next: its modification time (coarse on
	 * some file systems), size and file key (a new file replacing it has a new one).
	 */
	private static Object version(Path file) throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
		return List.of(attributes.lastModifiedTime(), attributes.size(), String.valueOf(attributes.fileKey()));
	}

	/**
	 * The platform service a certificate names by its {@code spiffe://switchboard/...}
	 * URI, if it names one.
	 */
	public static Optional<String> serviceOf(X509Certificate certificate) {
		try {
			if (certificate.getSubjectAlternativeNames() == null) {
				return Optional.empty();
			}
			return certificate.getSubjectAlternativeNames()
				.stream()
				.filter((name) -> name.size() == 2 && Integer.valueOf(URI_NAME).equals(name.get(0)))
				.map((name) -> String.valueOf(name.get(1)))
				.filter((uri) -> uri.startsWith(SCHEME_AND_DOMAIN)
						&& uri.substring(SCHEME_AND_DOMAIN.length()).matches("[a-z][a-z0-9-]*"))
				.map((uri) -> uri.substring(SCHEME_AND_DOMAIN.length()))
				.findFirst();
		}
		catch (CertificateParsingException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Presents the current key and certificate: the JDK's key manager made from them,
	 * replaced whole on renewal.
	 */
	private static final class ReloadingKeyManager extends X509ExtendedKeyManager {

		private volatile X509ExtendedKeyManager current;

		void use(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException, IOException {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setKeyEntry("identity", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
			KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			factory.init(store, NO_PASSWORD);
			this.current = (X509ExtendedKeyManager) factory.getKeyManagers()[0];
		}

		@Override
		public String[] getClientAliases(String keyType, Principal[] issuers) {
			return this.current.getClientAliases(keyType, issuers);
		}

		@Override
		public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
			return this.current.chooseClientAlias(keyType, issuers, socket);
		}

		@Override
		public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
			return this.current.chooseEngineClientAlias(keyType, issuers, engine);
		}

		@Override
		public String[] getServerAliases(String keyType, Principal[] issuers) {
			return this.current.getServerAliases(keyType, issuers);
		}

		@Override
		public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
			return this.current.chooseServerAlias(keyType, issuers, socket);
		}

		@Override
		public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
			return this.current.chooseEngineServerAlias(keyType, issuers, engine);
		}

		@Override
		public X509Certificate[] getCertificateChain(String alias) {
			return this.current.getCertificateChain(alias);
		}

		@Override
		public PrivateKey getPrivateKey(String alias) {
			return this.current.getPrivateKey(alias);
		}

	}

	/**
	 * Checks a peer's chain against the current authorities (PKIX: signatures, validity
	 * dates, key usage), never its host name: on the platform's hops a peer is who its
	 * certificate names, wherever it runs.
	 */
	private static final class ReloadingTrustManager extends X509ExtendedTrustManager {

		private volatile X509TrustManager current;

		void trust(List<X509Certificate> authorities) throws GeneralSecurityException, IOException {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			for (int i = 0; i < authorities.size(); i++) {
				store.setCertificateEntry("authority-" + i, authorities.get(i));
			}
			TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
			factory.init(store);
			this.current = (X509TrustManager) factory.getTrustManagers()[0];
		}

		// The two-argument checks: the variants given a socket or engine would also
		// match the peer's host name against its certificate.

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			this.current.checkClientTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			this.current.checkClientTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			this.current.checkClientTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			this.current.checkServerTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			this.current.checkServerTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			this.current.checkServerTrusted(chain, authType);
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return this.current.getAcceptedIssuers();
		}

	}

	/** A server trust check that also wants one identity. */
	private static final class ExpectedPeer extends X509ExtendedTrustManager {

		private final X509ExtendedTrustManager chains;

		private final String service;

		ExpectedPeer(X509ExtendedTrustManager chains, String service) {
			this.chains = chains;
			this.service = service;
		}

		private void expect(X509Certificate[] chain) throws CertificateException {
			String named = serviceOf(chain[0]).orElse("no platform identity");
			if (!named.equals(this.service)) {
				throw new CertificateException(
						"expected " + SCHEME_AND_DOMAIN + this.service + " but the server is " + named);
			}
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			this.chains.checkServerTrusted(chain, authType, engine);
			expect(chain);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			this.chains.checkServerTrusted(chain, authType, socket);
			expect(chain);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			this.chains.checkServerTrusted(chain, authType);
			expect(chain);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			this.chains.checkClientTrusted(chain, authType, engine);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			this.chains.checkClientTrusted(chain, authType, socket);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			this.chains.checkClientTrusted(chain, authType);
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return this.chains.getAcceptedIssuers();
		}

	}

}
