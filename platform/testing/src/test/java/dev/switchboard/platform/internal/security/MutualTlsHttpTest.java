package dev.switchboard.platform.internal.security;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.embedded.CertificateAuthority;
import dev.switchboard.platform.security.InternalHttp;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A service's internal HTTP port with mutual TLS, on a real Tomcat and real sockets: only
 * certificates from the platform's authority get in, each caller reaches only the paths
 * the access policy grants it, and a renewed server certificate is taken up without a
 * restart.
 */
class MutualTlsHttpTest {

	@TempDir
	Path directory;

	private final CertificateAuthority authority = CertificateAuthority.create("Test CA");

	private ConfigurableApplicationContext analytics;

	private int port;

	@BeforeEach
	void start() throws IOException {
		Files.writeString(trustFile(), this.authority.certificatePem());
		issue("analytics", Duration.ofMinutes(5));
		this.analytics = new SpringApplicationBuilder(Analytics.class).web(WebApplicationType.SERVLET)
			.properties(Map.of("spring.application.name", "analytics", "server.port", "0",
					"switchboard.tls.identity-file", identityFile("analytics").toString(), "switchboard.tls.trust-file",
					trustFile().toString(), "switchboard.tls.http", "true"))
			.run();
		this.port = ((WebServerApplicationContext) this.analytics).getWebServer().getPort();
	}

	@AfterEach
	void stop() {
		if (this.analytics != null) {
			this.analytics.close();
		}
	}

	@Test
	void aCallerReachesOnlyThePathsThePolicyGrantsIt() throws Exception {
		assertThat(get("gateway", "/summary").statusCode()).isEqualTo(200);
		assertThat(get("operator", "/admin/rebuild").statusCode()).isEqualTo(200);
		assertThat(get("operator", "/actuator/health").statusCode()).as("not exposed here, but let through")
			.isEqualTo(404);

		HttpResponse<String> refused = get("shipping", "/summary");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(refused.body()).contains("\"detail\":\"shipping may not call GET /summary on analytics\"");
		assertThat(get("gateway", "/admin/rebuild").statusCode()).isEqualTo(403);
		assertThat(get("gateway", "/summary/../admin/rebuild").statusCode()).as("the path as the server resolves it")
			.isEqualTo(403);
		assertThat(this.analytics.getBean(MeterRegistry.class)
			.get(CallerAuthorization.DENIED)
			.tag("caller", "shipping")
			.tag("transport", "http")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void aCallerWithoutAValidPlatformCertificateIsRefusedAtTheHandshake() throws Exception {
		SSLContext noCertificate = SSLContext.getInstance("TLS");
		noCertificate.init(null, trustingThePlatform(), null);
		assertThat(refusal(noCertificate)).as("TLS without a certificate").isInstanceOf(IOException.class);

		CertificateAuthority.create("Rogue CA").issue("gateway", Duration.ofHours(1)).writeTo(identityFile("rogue"));
		assertThat(refusal(CertificateAuthority.tlsContext(identityFile("rogue"), trustFile()))).as("another authority")
			.isInstanceOf(IOException.class);

		Instant now = Instant.now();
		this.authority.issue("gateway", now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)))
			.writeTo(identityFile("expired"));
		assertThat(refusal(CertificateAuthority.tlsContext(identityFile("expired"), trustFile())))
			.as("an expired certificate")
			.isInstanceOf(IOException.class);

		HttpResponse<String> plain = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/summary")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(plain.statusCode()).as("plain HTTP").isEqualTo(400);
	}

	@Test
	void aRenewedServerCertificateIsPresentedWithoutARestart() throws Exception {
		BigInteger before = presentedSerial();
		issue("analytics", Duration.ofMinutes(5));
		await().atMost(Duration.ofSeconds(20)).until(() -> !presentedSerial().equals(before));
		assertThat(get("gateway", "/summary").statusCode()).isEqualTo(200);
	}

	@Test
	void theServicesOwnClientsPresentItsIdentityAndAcceptOnlyTheServiceTheyCall() throws Exception {
		InternalHttp http = this.analytics.getBean(InternalHttp.class);
		assertThat(http.secure()).isTrue();
		// Analytics calling itself: it may not read its own summary (only the gateway
		// may)...
		HttpResponse<String> itself = http.clientFor("analytics")
			.build()
			.send(HttpRequest.newBuilder(uri("/summary")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(itself.statusCode()).isEqualTo(403);
		// ... and a client meant for another service does not accept analytics'
		// certificate.
		Throwable wrongServer = catchThrowable(() -> http.clientFor("payment")
			.build()
			.send(HttpRequest.newBuilder(uri("/summary")).build(), HttpResponse.BodyHandlers.ofString()));
		assertThat(wrongServer).isInstanceOf(IOException.class);
	}

	private Throwable refusal(SSLContext context) {
		Throwable refused = catchThrowable(() -> HttpClient.newBuilder()
			.sslContext(context)
			.build()
			.send(HttpRequest.newBuilder(uri("/summary")).build(), HttpResponse.BodyHandlers.ofString()));
		assertThat(refused).as("let in").isNotNull();
		return refused;
	}

	private HttpResponse<String> get(String caller, String path) throws Exception {
		issue(caller, Duration.ofMinutes(5));
		return HttpClient.newBuilder()
			.sslContext(CertificateAuthority.tlsContext(identityFile(caller), trustFile()))
			.build()
			.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("https://127.0.0.1:" + this.port + path);
	}

	private TrustManager[] trustingThePlatform() throws Exception {
		javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory
			.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
		java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
		store.load(null, null);
		store.setCertificateEntry("ca", this.authority.certificate());
		factory.init(store);
		return factory.getTrustManagers();
	}

	/** The serial of the certificate the server shows a new connection. */
	private BigInteger presentedSerial() throws Exception {
		AtomicReference<X509Certificate> presented = new AtomicReference<>();
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, new TrustManager[] { new X509TrustManager() {

			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType) {
				presented.set(chain[0]);
			}

			@Override
			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}

		} }, null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", this.port)) {
			socket.startHandshake();
		}
		catch (IOException ex) {
			// Refused for want of a certificate once the server has shown its own.
		}
		return presented.get().getSerialNumber();
	}

	private void issue(String service, Duration lifetime) throws IOException {
		this.authority.issue(service, lifetime).writeTo(identityFile(service));
	}

	private Path identityFile(String service) {
		return this.directory.resolve(service + ".pem");
	}

	private Path trustFile() {
		return this.directory.resolve("trust.pem");
	}

	/** A service named analytics: a summary for the gateway, an operator endpoint. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, SslAutoConfiguration.class,
			TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, MutualTlsAutoConfiguration.class, InternalHttpAutoConfiguration.class })
	static class Analytics {

		@Bean
		MeterRegistry meters() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Endpoints endpoints() {
			return new Endpoints();
		}

	}

	@RestController
	static class Endpoints {

		@GetMapping("/summary")
		String summary() {
			return "{}";
		}

		@GetMapping("/admin/rebuild")
		String rebuild() {
			return "{}";
		}

	}

}
