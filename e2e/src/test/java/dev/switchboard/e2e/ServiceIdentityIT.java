package dev.switchboard.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.inventory.v1.CheckAndReserveRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.Line;
import dev.switchboard.contracts.inventory.v1.ListProductsRequest;
import dev.switchboard.contracts.inventory.v1.ListReservedBeforeRequest;
import dev.switchboard.contracts.inventory.v1.ListReservedBeforeResponse;
import dev.switchboard.contracts.inventory.v1.ReleaseRequest;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.embedded.CertificateAuthority;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.ServiceCertificates;

import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Zero trust inside, on the gRPC hops, internal HTTP, PostgreSQL and Kafka: every caller
 * shows a certificate from the platform's own authority, is who that certificate names,
 * and may do only what the access policy grants that name. Certificates are renewed under
 * load without a failed request.
 */
@PlatformTest
@Order(6)
class ServiceIdentityIT {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	/**
	 * Whoever cannot prove a platform identity does not get past the handshake: no TLS,
	 * TLS without a certificate, a certificate from another authority, an expired one.
	 */
	@Test
	@Order(10)
	void aCallerWithoutAValidPlatformCertificateIsRefusedAtTheHandshake() throws Exception {
		CertificateAuthority platformAuthority = CertificateAuthority.open(platform.certificateAuthority());
		CertificateAuthority rogue = CertificateAuthority.create("Rogue CA");
		Instant now = Instant.now();
		for (int port : List.of(grpcPort("inventory"), grpcPort("order"))) {
			assertRefusedAtTheHandshake(InsecureChannelCredentials.create(), port, "plain text");
			assertRefusedAtTheHandshake(TlsChannelCredentials.newBuilder().trustManager(trust()).build(), port,
					"TLS without a certificate");
			assertRefusedAtTheHandshake(credentials(rogue.issue("order", Duration.ofHours(1))), port,
					"a certificate from another authority");
			assertRefusedAtTheHandshake(credentials(
					platformAuthority.issue("order", now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)))),
					port, "an expired certificate");
		}
	}

	/**
	 * A valid certificate is not a pass to everything: only order may reserve or release
	 * stock, only the gateway may place orders. A compromised shipping service cannot
	 * release stock. Each refusal names caller and method, is logged and counted.
	 */
	@Test
	@Order(20)
	void aServiceMayCallOnlyWhatTheAccessPolicyGrantsIt() throws Exception {
		CertificateAuthority authority = CertificateAuthority.open(platform.certificateAuthority());
		int inventory = grpcPort("inventory");
		int order = grpcPort("order");

		StatusRuntimeException released = refusal(authority, "shipping", inventory,
				(channel) -> InventoryServiceGrpc.newBlockingStub(channel)
					.withDeadlineAfter(DEADLINE)
					.release(ReleaseRequest.newBuilder().setOrderId("o-1").setAttemptId("a-1").build()));
		assertThat(released.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
		assertThat(released.getStatus().getDescription())
			.isEqualTo("shipping may not call switchboard.inventory.v1.InventoryService/Release");
		assertThat(refusal(authority, "shipping", inventory,
				(channel) -> InventoryServiceGrpc.newBlockingStub(channel)
					.withDeadlineAfter(DEADLINE)
					.checkAndReserve(CheckAndReserveRequest.newBuilder()
						.setOrderId("o-1")
						.addLines(Line.newBuilder().setSku("SKU-0001").setQuantity(1))
						.build()))
			.getStatus()
			.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
		for (String caller : List.of("shipping", "order", "operator")) {
			assertThat(refusal(authority, caller, order,
					(channel) -> OrderServiceGrpc.newBlockingStub(channel)
						.withDeadlineAfter(DEADLINE)
						.createOrder(CreateOrderRequest.getDefaultInstance()))
				.getStatus()
				.getCode()).as(caller + " placing an order").isEqualTo(Status.Code.PERMISSION_DENIED);
		}

		// What the policy grants goes through.
		ListReservedBeforeResponse reserved = as(authority, "order", inventory,
				(channel) -> InventoryServiceGrpc.newBlockingStub(channel)
					.withDeadlineAfter(DEADLINE)
					.listReservedBefore(ListReservedBeforeRequest.getDefaultInstance()));
		assertThat(reserved.getReservationsList()).isNotNull();
		assertThat(as(authority, "gateway", inventory,
				(channel) -> InventoryServiceGrpc.newBlockingStub(channel)
					.withDeadlineAfter(DEADLINE)
					.listProducts(ListProductsRequest.getDefaultInstance()))
			.getProductsCount()).isPositive();
		assertThat(as(authority, ServiceCertificates.OPERATOR, inventory,
				(channel) -> HealthGrpc.newBlockingStub(channel)
					.withDeadlineAfter(DEADLINE)
					.check(HealthCheckRequest.getDefaultInstance()))
			.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

		// Reflection, as grpcurl list uses it: the operator's, not the services'.
		assertThat(reflectedServices(authority, ServiceCertificates.OPERATOR, inventory))
			.contains("switchboard.inventory.v1.InventoryService");
		assertThatThrownBy(() -> reflectedServices(authority, "shipping", inventory))
			.hasMessageContaining("PERMISSION_DENIED");

		assertThat(read(dataDir.resolve("logs/inventory.log")))
			.contains("Refused a gRPC call: shipping may not call switchboard.inventory.v1.InventoryService/Release");
		String denied = Api
			.get(internal("inventory", "/actuator/metrics/switchboard.authorization.denied?tag=caller:shipping"))
			.body();
		assertThat(denied).contains("\"COUNT\"").doesNotContain("\"value\":0.0");
	}

	/** The services {@code caller} learns of through gRPC reflection on {@code port}. */
	private List<String> reflectedServices(CertificateAuthority authority, String caller, int port) throws Exception {
		java.util.concurrent.CompletableFuture<List<String>> services = new java.util.concurrent.CompletableFuture<>();
		as(authority, caller, port, (channel) -> {
			io.grpc.stub.StreamObserver<io.grpc.reflection.v1.ServerReflectionRequest> requests = io.grpc.reflection.v1.ServerReflectionGrpc
				.newStub(channel)
				.withDeadlineAfter(DEADLINE)
				.serverReflectionInfo(new io.grpc.stub.StreamObserver<>() {

					@Override
					public void onNext(io.grpc.reflection.v1.ServerReflectionResponse response) {
						services.complete(response.getListServicesResponse()
							.getServiceList()
							.stream()
							.map(io.grpc.reflection.v1.ServiceResponse::getName)
							.toList());
					}

					@Override
					public void onError(Throwable error) {
						services.completeExceptionally(error);
					}

					@Override
					public void onCompleted() {
						services.complete(List.of());
					}

				});
			requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
			requests.onCompleted();
			try {
				return services.get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
			}
			catch (java.util.concurrent.ExecutionException ex) {
				throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		return services.get();
	}

	/**
	 * {@code load} runs while every certificate is renewed four times: no request fails,
	 * every order ends, and the servers present their new certificates.
	 */
	@Test
	@Order(30)
	void certificatesAreRenewedUnderLoadWithoutAFailedRequest() throws Exception {
		ServiceCertificates certificates = platform.certificates().orElseThrow();
		int renewedBefore = certificates.renewals();
		BigInteger servedBefore = presentedSerial(grpcPort("inventory"));
		BigInteger kafkaServedBefore = presentedSerial(kafkaPort());
		Path accepted = dataDir.resolve("rotation-orders.txt");
		ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor();
		try {
			CompletableFuture<String> load = CompletableFuture.supplyAsync(() -> {
				try {
					return switchboard("load", "--rate", "15", "--duration", "20s", "--gateway", platform.gatewayUrl(),
							"--data-dir", dataDir.toString(), "--sku", "SKU-0070", "--sku", "SKU-0071", "--record",
							accepted.toString());
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			renewer.scheduleAtFixedRate(certificates::renewNow, 3, 4, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(60)).until(() -> certificates.renewals() >= renewedBefore + 4);
			String report = load.get(3, TimeUnit.MINUTES);
			java.nio.file.Files.readAllLines(accepted).forEach((id) -> expected.put(id, "COMPLETED"));
			assertThat(report).containsPattern("failed 0, completed [1-9]\\d*, cancelled 0, not terminal 0");
		}
		finally {
			renewer.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(presentedSerial(grpcPort("inventory"))).isNotEqualTo(servedBefore));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(presentedSerial(kafkaPort())).as("the Kafka broker's certificate")
				.isNotEqualTo(kafkaServedBefore));
		for (String service : List.of("inventory", "order", "gateway")) {
			assertThat(read(dataDir.resolve("logs/" + service + ".log"))).as(service)
				.contains("Renewed certificate for spiffe://switchboard/" + service);
		}
	}

	/**
	 * PostgreSQL takes TLS connections with a certificate from the platform's authority
	 * only, and a service's certificate opens its own database alone, as its own role.
	 */
	@Test
	@Order(40)
	void theDatabaseTakesOnlyPlatformCertificatesAndEachServiceOnlyItsOwnDatabase() throws Exception {
		CertificateAuthority authority = CertificateAuthority.open(platform.certificateAuthority());
		Instant now = Instant.now();
		String orders = "jdbc:postgresql://127.0.0.1:" + new Ports(dataDir).known("postgres") + "/switchboard_order";
		Path trust = ServiceCertificates.trustFile(dataDir.resolve("run"));

		assertThat(refusedConnection(orders + "?sslmode=disable", "order")).as("plain text")
			.contains("no pg_hba.conf entry");
		assertThat(refusedConnection(orders + "?sslmode=verify-ca&sslrootcert=" + trust, "order"))
			.as("TLS without a certificate")
			.contains("requires a valid client certificate");
		assertThat(refusedConnection(
				withKey(orders, trust, CertificateAuthority.create("Rogue CA").issue("order", Duration.ofHours(1))),
				"order"))
			.as("another authority")
			.isNotEmpty();
		assertThat(refusedConnection(
				withKey(orders, trust,
						authority.issue("order", now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)))),
				"order"))
			.as("an expired certificate")
			.isNotEmpty();
		CertificateAuthority.Issued shipping = authority.issue("shipping", Duration.ofMinutes(5));
		assertThat(refusedConnection(withKey(orders, trust, shipping), "order")).as("shipping posing as order")
			.contains("certificate authentication failed");
		assertThat(refusedConnection(withKey(orders, trust, shipping), "shipping")).as("shipping in the order database")
			.contains("permission denied");

		try (java.sql.Connection connection = java.sql.DriverManager
			.getConnection(withKey(orders, trust, authority.issue("order", Duration.ofMinutes(5))), "order", "");
				java.sql.Statement statement = connection.createStatement();
				java.sql.ResultSet owner = statement.executeQuery("SELECT current_user, (SELECT tableowner FROM "
						+ "pg_tables WHERE tablename = 'orders'), (SELECT ssl FROM pg_stat_ssl WHERE pid = "
						+ "pg_backend_pid())")) {
			assertThat(owner.next()).isTrue();
			assertThat(owner.getString(1)).isEqualTo("order");
			assertThat(owner.getString(2)).as("the owner of the orders table").isEqualTo("order");
			assertThat(owner.getBoolean(3)).as("over TLS").isTrue();
		}
	}

	/**
	 * Kafka takes connections with a certificate from the platform's authority only, and
	 * its ACLs (made from the access policy) let each identity write and read only what
	 * the policy grants it: a compromised shipping service cannot publish payment events,
	 * write saga commands or payment commands, read payment events, nor join order's
	 * consumer groups. Every refusal is logged by the broker with the identity and the
	 * resource. (The rest of the suite is the other side: every service moving its own
	 * messages through the same broker.)
	 */
	@Test
	@Order(50)
	void kafkaTakesOnlyPlatformCertificatesAndEachServiceMovesOnlyWhatThePolicyGrants() throws Exception {
		CertificateAuthority authority = CertificateAuthority.open(platform.certificateAuthority());
		Instant now = Instant.now();
		Map<String, Object> none = new HashMap<>(platform.kafkaClient(Map.of()));
		none.remove("ssl.keystore.type");
		none.remove("ssl.keystore.location");
		assertThat(kafkaRefusal(none)).as("TLS without a certificate").isInstanceOf(SslAuthenticationException.class);
		assertThat(kafkaRefusal(
				kafkaClientAs(CertificateAuthority.create("Rogue CA").issue("order", Duration.ofHours(1)))))
			.as("another authority")
			.isInstanceOf(SslAuthenticationException.class);
		assertThat(kafkaRefusal(kafkaClientAs(
				authority.issue("order", now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))))))
			.as("an expired certificate")
			.isInstanceOf(SslAuthenticationException.class);
		assertThat(kafkaRefusal(Map.of("bootstrap.servers", platform.kafkaBootstrapServers()))).as("plain text")
			.isNotNull();

		Map<String, Object> shipping = kafkaClientAs(authority.issue("shipping", Duration.ofMinutes(5)));
		for (String topic : List.of(Topics.PAYMENT_EVENTS, Topics.INVENTORY_COMMANDS, Topics.SHIPPING_COMMANDS,
				Queues.PAYMENT_COMMANDS.name())) {
			assertThat(kafkaRefusal(shipping, topic)).as("shipping writing " + topic)
				.isInstanceOf(TopicAuthorizationException.class);
		}
		assertThat(readRefusal(shipping, Topics.PAYMENT_EVENTS, "shipping.spy")).as("shipping reading payment events")
			.isInstanceOf(TopicAuthorizationException.class);
		assertThat(readRefusal(shipping, Topics.ORDER_CHOREOGRAPHY, "order.answers"))
			.as("shipping in one of order's groups")
			.isInstanceOf(GroupAuthorizationException.class);

		assertThat(read(dataDir.resolve("logs/kafka-broker.log")))
			.contains("Principal = User:shipping is Denied operation = DESCRIBE from host = 127.0.0.1 on resource = "
					+ "Topic:LITERAL:" + Topics.PAYMENT_EVENTS)
			.contains("Principal = User:shipping is Denied operation = WRITE from host = 127.0.0.1 on resource = "
					+ "Topic:LITERAL:" + Topics.SHIPPING_COMMANDS);
	}

	/**
	 * The services' internal HTTP ports take only platform certificates, and each caller
	 * reaches only the paths the policy grants it: shipping cannot read inventory's stock
	 * listing nor analytics' summary, which is the gateway's. Refusals are 403
	 * problem+json, logged and counted.
	 */
	@Test
	@Order(60)
	void internalHttpTakesOnlyPlatformCertificatesAndEachCallerOnlyItsPaths() throws Exception {
		CertificateAuthority authority = CertificateAuthority.open(platform.certificateAuthority());
		Instant now = Instant.now();
		for (String service : List.of("inventory", "gateway")) {
			String health = management(service, "/actuator/health");
			assertThat(httpRefusal(null, health)).as("TLS without a certificate on " + service).isNotNull();
			assertThat(httpRefusal(CertificateAuthority.create("Rogue CA").issue("order", Duration.ofHours(1)), health))
				.as("another authority on " + service)
				.isNotNull();
			assertThat(httpRefusal(
					authority.issue("order", now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))), health))
				.as("an expired certificate on " + service)
				.isNotNull();
		}
		assertThat(Api.get(internal("inventory", "/actuator/health").replace("https:", "http:")).status())
			.as("plain HTTP")
			.isEqualTo(400);

		CertificateAuthority.Issued shipping = authority.issue("shipping", Duration.ofMinutes(5));
		HttpResponse<String> stock = httpAs(shipping, internal("inventory", "/internal/stock"));
		assertThat(stock.statusCode()).isEqualTo(403);
		assertThat(stock.body()).contains("shipping may not call GET /internal/stock on inventory");
		assertThat(httpAs(shipping, internal("analytics", "/summary")).statusCode()).isEqualTo(403);
		assertThat(httpAs(authority.issue("gateway", Duration.ofMinutes(5)), internal("analytics", "/summary"))
			.statusCode()).as("the gateway reading the summary").isEqualTo(200);
		assertThat(httpAs(shipping, management("inventory", "/actuator/health")).statusCode())
			.as("health, open to every platform identity")
			.isEqualTo(200);
		// The gateway's actuator has a port (and a Tomcat) of its own: the same policy.
		assertThat(httpAs(shipping, management("gateway", "/actuator/health")).statusCode())
			.as("the gateway's health, open to every platform identity")
			.isEqualTo(200);
		HttpResponse<String> gatewayMetrics = httpAs(shipping, management("gateway", "/actuator/metrics"));
		assertThat(gatewayMetrics.statusCode()).as("the gateway's metrics, the operator's").isEqualTo(403);
		assertThat(gatewayMetrics.body()).contains("shipping may not call GET /actuator/metrics on gateway");
		assertThat(Api.get(management("gateway", "/actuator/metrics")).status()).as("the operator").isEqualTo(200);

		assertThat(read(dataDir.resolve("logs/inventory.log")))
			.contains("Refused an HTTP call: shipping may not call GET /internal/stock on inventory");
		assertThat(Api
			.get(internal("analytics",
					"/actuator/metrics/switchboard.authorization.denied?tag=caller:shipping&tag=transport:http"))
			.body()).contains("\"COUNT\"").doesNotContain("\"value\":0.0");
	}

	/** A call to {@code url} as {@code identity}. */
	private static HttpResponse<String> httpAs(CertificateAuthority.Issued identity, String url) throws Exception {
		return httpClientAs(identity).send(HttpRequest.newBuilder(URI.create(url)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** Why a call to {@code url} as {@code identity} (none: null) fails; it must fail. */
	private static Throwable httpRefusal(CertificateAuthority.Issued identity, String url) throws Exception {
		Throwable refused = catchThrowable(
				() -> httpClientAs(identity).send(HttpRequest.newBuilder(URI.create(url)).timeout(DEADLINE).build(),
						HttpResponse.BodyHandlers.ofString()));
		assertThat(refused).as("a call to " + url + " was let through").isInstanceOf(IOException.class);
		return refused;
	}

	private static HttpClient httpClientAs(CertificateAuthority.Issued identity) throws Exception {
		Path trust = ServiceCertificates.trustFile(dataDir.resolve("run"));
		if (identity == null) {
			javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory
				.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
			java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setCertificateEntry("ca", CertificateAuthority.open(platform.certificateAuthority()).certificate());
			trustManagers.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trustManagers.getTrustManagers(), null);
			return HttpClient.newBuilder().sslContext(context).connectTimeout(DEADLINE).build();
		}
		Path file = dataDir
			.resolve("http-" + identity.service() + "-" + identity.certificate().getSerialNumber() + ".pem");
		identity.writeTo(file);
		return HttpClient.newBuilder()
			.sslContext(CertificateAuthority.tlsContext(file, trust))
			.connectTimeout(DEADLINE)
			.build();
	}

	/**
	 * A client of the platform's Kafka as {@code identity}, its key in a file of its own.
	 */
	private static Map<String, Object> kafkaClientAs(CertificateAuthority.Issued identity) throws IOException {
		Path file = dataDir
			.resolve("kafka-" + identity.service() + "-" + identity.certificate().getSerialNumber() + ".pem");
		identity.writeTo(file);
		Map<String, Object> client = new HashMap<>(platform.kafkaClient(Map.of()));
		client.put("ssl.keystore.location", file.toString());
		return client;
	}

	/** Why writing a record with this client fails (it must fail). */
	private static Throwable kafkaRefusal(Map<String, Object> client) {
		return kafkaRefusal(client, Topics.SHIPPING_EVENTS);
	}

	private static Throwable kafkaRefusal(Map<String, Object> client, String topic) {
		Map<String, Object> config = new HashMap<>(client);
		config.put("max.block.ms", 10_000);
		config.put("delivery.timeout.ms", 10_000);
		config.put("request.timeout.ms", 5_000);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
				new ByteArraySerializer())) {
			Throwable refused = catchThrowable(
					() -> producer.send(new ProducerRecord<>(topic, "o-1", new byte[0])).get(30, TimeUnit.SECONDS));
			assertThat(refused).as("writing " + topic + " was let through").isNotNull();
			return (refused instanceof ExecutionException) ? refused.getCause() : refused;
		}
	}

	/**
	 * Why reading {@code topic} in {@code group} with this client fails (it must fail).
	 */
	private static Throwable readRefusal(Map<String, Object> client, String topic, String group) {
		Map<String, Object> config = new HashMap<>(client);
		config.put("group.id", group);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			AtomicReference<Throwable> refused = new AtomicReference<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				refused.set(catchThrowable(() -> consumer.poll(Duration.ofMillis(500))));
				return refused.get() != null;
			});
			return refused.get();
		}
	}

	/** A JDBC URL with TLS and {@code identity}'s key, written to a key store for it. */
	private static String withKey(String url, Path trust, CertificateAuthority.Issued identity) throws IOException {
		Path keyStore = dataDir
			.resolve("db-" + identity.service() + "-" + identity.certificate().getSerialNumber() + ".p12");
		identity.writeKeyStoreTo(keyStore, "test".toCharArray());
		return url + "?sslmode=verify-ca&sslrootcert=" + trust + "&sslkey=" + keyStore + "&sslpassword=test";
	}

	/** The server's refusal of a connection, or fails when it is let in. */
	private static String refusedConnection(String url, String user) {
		java.sql.SQLException refused = catchThrowableOfType(java.sql.SQLException.class,
				() -> java.sql.DriverManager.getConnection(url, user, "").close());
		assertThat((Object) refused).as("a connection to " + url + " as " + user).isNotNull();
		return String.valueOf(refused.getMessage());
	}

	private static int kafkaPort() throws IOException {
		return new Ports(dataDir).known("kafka");
	}

	private static int grpcPort(String service) throws IOException {
		return new Ports(dataDir).known(service + ".grpc");
	}

	private static ByteArrayInputStream trust() {
		return new ByteArrayInputStream(
				read(ServiceCertificates.trustFile(dataDir.resolve("run"))).getBytes(StandardCharsets.US_ASCII));
	}

	private static ChannelCredentials credentials(CertificateAuthority.Issued identity) throws IOException {
		byte[] pem = identity.pem().getBytes(StandardCharsets.US_ASCII);
		return TlsChannelCredentials.newBuilder()
			.keyManager(new ByteArrayInputStream(pem), new ByteArrayInputStream(pem))
			.trustManager(trust())
			.build();
	}

	private static void assertRefusedAtTheHandshake(ChannelCredentials credentials, int port, String what) {
		ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
		try {
			StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
					() -> InventoryServiceGrpc.newBlockingStub(channel)
						.withDeadlineAfter(DEADLINE)
						.listReservedBefore(ListReservedBeforeRequest.getDefaultInstance()));
			assertThat(refused).as(what + " on port " + port).isNotNull();
			assertThat(refused.getStatus().getCode()).as(what + ": " + refused.getStatus())
				.isEqualTo(Status.Code.UNAVAILABLE);
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static <T> T as(CertificateAuthority authority, String identity, int port, Function<ManagedChannel, T> call)
			throws IOException {
		ManagedChannel channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", port,
					credentials(authority.issue(identity, Duration.ofMinutes(5))))
			.build();
		try {
			return call.apply(channel);
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static StatusRuntimeException refusal(CertificateAuthority authority, String identity, int port,
			Function<ManagedChannel, ?> call) {
		StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
				() -> as(authority, identity, port, call));
		assertThat(refused).as(identity + " was let through").isNotNull();
		return refused;
	}

	/** The serial number of the certificate a server presents to a new connection. */
	private static BigInteger presentedSerial(int port) throws Exception {
		AtomicReference<X509Certificate> presented = new AtomicReference<>();
		X509TrustManager recorder = new X509TrustManager() {

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

		};
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, new javax.net.ssl.TrustManager[] { recorder }, null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setApplicationProtocols(new String[] { "h2" });
			socket.setSSLParameters(parameters);
			socket.startHandshake();
		}
		catch (IOException ex) {
			// Without a certificate of its own the connection is refused after the
			// server has shown its certificate, which is all this wants.
		}
		assertThat(presented.get()).as("the certificate of the server on port " + port).isNotNull();
		return presented.get().getSerialNumber();
	}

}
