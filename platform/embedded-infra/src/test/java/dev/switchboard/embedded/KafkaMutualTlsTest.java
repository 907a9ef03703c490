package dev.switchboard.embedded;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker with mutual TLS and ACLs, on real sockets: who gets in, what each
 * identity may do, and a renewed broker certificate taken up without a restart.
 */
class KafkaMutualTlsTest {

	@TempDir
	static Path dir;

	static CertificateAuthority authority;

	static EmbeddedKafka kafka;

	static int port;

	@BeforeAll
	static void start() throws Exception {
		authority = CertificateAuthority.create("test-ca");
		for (String name : List.of("kafka", "operator", "order", "shipping")) {
			authority.issue(name, Duration.ofHours(1)).writeTo(dir.resolve(name + ".pem"));
		}
		Files.writeString(dir.resolve("trust.pem"), authority.certificatePem());
		port = FreePorts.next();
		kafka = EmbeddedKafka.start(dir.resolve("log"), port, FreePorts.next(), Duration.ofMillis(500),
				new EmbeddedKafka.Tls(dir.resolve("kafka.pem"), dir.resolve("trust.pem"),
						List.of("kafka", "operator")));
		try (Admin admin = Admin.create(config("operator"))) {
			admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
			ResourcePattern topic = new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL);
			admin
				.createAcls(List.of(allow("order", topic, AclOperation.WRITE),
						allow("order", topic, AclOperation.DESCRIBE)))
				.all()
				.get();
		}
	}

	@AfterAll
	static void stop() {
		if (kafka != null) {
			kafka.close();
		}
	}

	@Test
	void anIdentityWritesWhereAnAclLetsItAndNowhereElse() throws Exception {
		try (KafkaProducer<String, String> order = producer(config("order"))) {
			assertThat(order.send(new ProducerRecord<>("t", "k", "v")).get().offset()).isNotNegative();
		}
		try (KafkaProducer<String, String> shipping = producer(config("shipping"))) {
			assertThatThrownBy(() -> shipping.send(new ProducerRecord<>("t", "k", "v")).get())
				.isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(TopicAuthorizationException.class);
		}
	}

	@Test
	void aClientWithoutAPlatformCertificateIsRefusedAtTheHandshake() throws Exception {
		Map<String, Object> none = new HashMap<>(config("order"));
		none.remove("ssl.keystore.type");
		none.remove("ssl.keystore.location");
		assertRefused(none);

		CertificateAuthority other = CertificateAuthority.create("other-ca");
		other.issue("order", Duration.ofHours(1)).writeTo(dir.resolve("foreign-order.pem"));
		Map<String, Object> foreign = new HashMap<>(config("order"));
		foreign.put("ssl.keystore.location", dir.resolve("foreign-order.pem").toString());
		assertRefused(foreign);

		authority.issue("order", Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1)))
			.writeTo(dir.resolve("expired-order.pem"));
		Map<String, Object> expired = new HashMap<>(config("order"));
		expired.put("ssl.keystore.location", dir.resolve("expired-order.pem").toString());
		assertRefused(expired);
	}

	@Test
	void theBrokerPresentsARenewedCertificateWithoutARestart() throws Exception {
		BigInteger before = presented().getSerialNumber();
		authority.issue("kafka", Duration.ofHours(1)).writeTo(dir.resolve("kafka.pem"));
		await().atMost(Duration.ofSeconds(20)).until(() -> !presented().getSerialNumber().equals(before));
		try (KafkaProducer<String, String> order = producer(config("order"))) {
			assertThat(order.send(new ProducerRecord<>("t", "k", "after renewal")).get().offset()).isNotNegative();
		}
	}

	private static void assertRefused(Map<String, Object> config) {
		config.put("max.block.ms", 10_000);
		try (KafkaProducer<String, String> producer = producer(config)) {
			assertThatThrownBy(() -> producer.send(new ProducerRecord<>("t", "k", "v")).get())
				.hasRootCauseInstanceOf(javax.net.ssl.SSLException.class)
				.satisfies((ex) -> assertThat(ex).hasCauseInstanceOf(SslAuthenticationException.class));
		}
	}

	/** The certificate the broker shows a new connection. */
	private static X509Certificate presented() throws Exception {
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		CertificateAuthority.Issued operator = authority.issue("operator", Duration.ofHours(1));
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		store.setKeyEntry("operator", operator.key(), new char[0], new Certificate[] { operator.certificate() });
		keys.init(store, new char[0]);
		X509Certificate[] seen = new X509Certificate[1];
		SSLContext context = SSLContext.getInstance("TLSv1.3");
		context.init(keys.getKeyManagers(), new TrustManager[] { new X509TrustManager() {

			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType) {
				seen[0] = chain[0];
			}

			@Override
			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}

		} }, null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.startHandshake();
		}
		return seen[0];
	}

	private static AclBinding allow(String user, ResourcePattern pattern, AclOperation operation) {
		return new AclBinding(pattern, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
	}

	private static Map<String, Object> config(String identity) {
		Map<String, Object> config = new HashMap<>(
				EmbeddedKafka.Tls.clientConfig(dir.resolve(identity + ".pem"), dir.resolve("trust.pem")));
		config.put("bootstrap.servers", kafka.bootstrapServers());
		return config;
	}

	private static KafkaProducer<String, String> producer(Map<String, Object> config) {
		return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
	}

}
