package dev.switchboard.e2e;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.switchboard.launcher.platform.OperatorHttp;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What the running platform shows the network and the other users of its machine: every
 * listener beyond loopback but the gateway's public port wants a platform certificate,
 * the gateway's public health says no more than the status, operator endpoints want the
 * admin token, and no secret is on a command line or in a log. Runs after the classes
 * that exercise the platform, so that their logs are read too.
 */
@PlatformTest
@Order(6)
class ExposureIT {

	private static final List<String> SERVICES = List.of("gateway", "identity", "order", "inventory", "payment",
			"shipping", "notification", "analytics");

	/**
	 * The platform runs here bound to every address ({@code --bind 0.0.0.0}), as on a
	 * cluster. Besides the gateway's public port, every listener another machine can
	 * reach is a service's, the broker's or the database's, and each refuses a caller
	 * without a platform certificate: TLS servers showing a platform certificate and
	 * closing on a client without one, PostgreSQL refusing such a client and any plain
	 * connection. The launcher's own listeners (mail sink, delay proxies) and the
	 * broker's controller stay on loopback.
	 */
	@Test
	void beyondLoopbackEveryListenerWantsAPlatformCertificate() throws Exception {
		assumeThat(Path.of("/proc/net/tcp")).as("a Linux /proc").exists();
		Map<String, Long> processes = new HashMap<>();
		SERVICES.forEach((service) -> processes.put(service, platform.pid(service)));
		processes.put("kafka", platform.pid("kafka"));
		processes.put("postgres", platform.pid("postgres"));
		// The launcher, which here is this JVM: the mail sink and the delay proxies.
		processes.put("launcher", ProcessHandle.current().pid());
		String remote = thisMachinesOwnAddress();

		List<String> probed = new ArrayList<>();
		for (Map.Entry<String, Long> process : processes.entrySet()) {
			List<String> addresses = ListeningSockets.of(process.getValue());
			assertThat(addresses).as(process.getKey() + " listens").isNotEmpty();
			for (String address : addresses) {
				int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
				if (ListeningSockets.isLoopback(address) || (process.getKey().equals("gateway") && port == port(api))) {
					continue;
				}
				assertThat(process.getKey()).as(address + " listens beyond loopback")
					.isNotIn("launcher")
					.isIn(processes.keySet());
				if (process.getKey().equals("postgres")) {
					postgresRefusesWithoutACertificate(remote, port);
				}
				else {
					tlsRefusesWithoutACertificate(process.getKey(), remote, port);
				}
				probed.add(process.getKey() + " " + address);
			}
		}
		assertThat(probed).as("what listens beyond loopback")
			.anyMatch((listener) -> listener.startsWith("order "))
			.anyMatch((listener) -> listener.startsWith("kafka "))
			.anyMatch((listener) -> listener.startsWith("postgres "))
			.anyMatch((listener) -> listener.startsWith("gateway "));
		assertThat(ListeningSockets.of(platform.pid("gateway"))).as("the gateway's public port")
			.contains(ListeningSockets.ANY + ":" + port(api));

		// The probe itself can tell: with the operator's certificate, an internal HTTP
		// port answers from the same address.
		Api.Response health = Api
			.get(OperatorHttp.uri(dataDir.resolve("run"), platform.httpPort("inventory"), "/actuator/health/liveness")
				.toString()
				.replace("127.0.0.1", remote));
		assertThat(health.status()).isEqualTo(200);
	}

	/**
	 * A TLS server that shows a certificate of the platform's authority, and drops a
	 * client that has none of its own.
	 */
	private static void tlsRefusesWithoutACertificate(String process, String host, int port) throws Exception {
		String what = process + " on " + host + ":" + port;
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, platformTrust(), null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port)) {
			socket.setSoTimeout(30_000);
			socket.startHandshake();
			assertThat(socket.getSession().getPeerCertificates()).as(what + " shows a platform certificate")
				.isNotEmpty();
			socket.getOutputStream().write("GET /actuator/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
			socket.getOutputStream().flush();
			assertThat(socket.getInputStream().read()).as(what + " answers a client without a certificate")
				.isEqualTo(-1);
		}
		catch (SSLHandshakeException ex) {
			assertThat(ex.getMessage()).as(what).containsAnyOf("certificate_required", "bad_certificate");
		}
		catch (SSLException | java.net.SocketException ex) {
			// The server's alert or reset after the handshake: refused. A plain-text
			// server fails the handshake itself (above) instead.
			assertThat(ex.getMessage()).as(what).doesNotContain("Unsupported or unrecognized SSL message");
		}
	}

	private static void postgresRefusesWithoutACertificate(String host, int port) throws Exception {
		String url = "jdbc:postgresql://" + host + ":" + port + "/switchboard_order";
		Properties noCertificate = new Properties();
		noCertificate.setProperty("user", "order");
		noCertificate.setProperty("sslmode", "verify-ca");
		noCertificate.setProperty("sslrootcert", dataDir.resolve("run/tls/trust.pem").toString());
		noCertificate.setProperty("sslcert", dataDir.resolve("no-such-certificate.pem").toString());
		noCertificate.setProperty("sslkey", dataDir.resolve("no-such-key.pk8").toString());
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(url, noCertificate).close())
			.withMessageContaining("certificate");
		Properties plain = new Properties();
		plain.setProperty("user", "postgres");
		plain.setProperty("sslmode", "disable");
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> DriverManager.getConnection(url, plain).close())
			.withMessageContaining("no encryption");
	}

	private static TrustManager[] platformTrust() throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		try (var in = Files.newInputStream(dataDir.resolve("run/tls/trust.pem"))) {
			trust.setCertificateEntry("platform", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		return factory.getTrustManagers();
	}

	/**
	 * An address of this machine other than loopback, as another machine would reach it;
	 * loopback when it has none (every address includes it).
	 */
	private static String thisMachinesOwnAddress() throws IOException {
		for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
			if (network.isUp() && !network.isLoopback()) {
				Optional<InetAddress> address = network.inetAddresses()
					.filter((candidate) -> candidate instanceof Inet4Address)
					.findFirst();
				if (address.isPresent()) {
					return address.get().getHostAddress();
				}
			}
		}
		return "127.0.0.1";
	}

	@Test
	void thePublicHealthIsTheStatusAlone() {
		Api.Response health = get(platform.gatewayUrl() + "/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().propertyNames()).containsExactly("status");

		assertThat(get(platform.gatewayUrl() + "/actuator/metrics").status()).as("not on the public port")
			.isEqualTo(404);
		Api.Response details = get(management("gateway", "/actuator/health"));
		assertThat(details.json().has("components")).as("on the gateway's own actuator port").isTrue();
	}

	@Test
	void operatorEndpointsWantTheAdminToken() {
		for (String service : List.of("inventory", "payment", "shipping", "notification")) {
			String listing = internal(service, "/internal/") + Map
				.of("inventory", "stock", "payment", "payments", "shipping", "shipments", "notification",
						"notifications")
				.get(service);
			Api.Response refused = get(listing);
			assertThat(refused.status()).as(listing).isEqualTo(401);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(get(listing, "Authorization", "Bearer " + platform.adminToken()).status()).as(listing)
				.isEqualTo(200);
		}
		assertThat(get(internal("order", "/admin/faults")).status()).isEqualTo(401);
	}

	@Test
	void noSecretIsOnACommandLineOrInALog() throws IOException {
		// The admin token, the load client's secret, the private parts of the token
		// signing key; the RabbitMQ URI (it may hold a password).
		List<String> secrets = new ArrayList<>(List.of(platform.adminToken(), platform.loadClient().secret()));
		Path signingKey = dataDir.resolve("run/identity-signing-key.json");
		tools.jackson.databind.JsonNode key = Api.JSON.readTree(Files.readString(signingKey));
		for (String part : List.of("d", "p", "q", "dp", "dq", "qi")) {
			assertThat(key.path(part).asString()).as("the signing key's " + part).isNotBlank();
			secrets.add(key.path(part).asString());
		}
		if (emailsOnRabbitmq) {
			secrets.add(RABBITMQ.toString());
		}
		for (Path file : List.of(signingKey, dataDir.resolve("run/load-client-secret"),
				dataDir.resolve("run/admin-token"))) {
			assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
				.as(file + " is its owner's alone")
				.isEqualTo("rw-------");
		}

		for (String service : SERVICES) {
			String commandLine = ProcessHandle.of(platform.pid(service))
				.flatMap((p) -> p.info().commandLine())
				.orElseThrow();
			assertThat(commandLine).as(service + "'s command line").contains("-jar");
			secrets.forEach((secret) -> assertThat(commandLine).as(service + "'s command line").doesNotContain(secret));
		}
		try (Stream<Path> logs = Files.list(dataDir.resolve("logs"))) {
			for (Path log : logs.toList()) {
				String text = Files.readString(log, StandardCharsets.ISO_8859_1);
				secrets.forEach((secret) -> assertThat(text.contains(secret)).as(log + " holds a secret").isFalse());
			}
		}
	}

	private static int port(String url) {
		return java.net.URI.create(url).getPort();
	}

}
