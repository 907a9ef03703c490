package dev.switchboard.platform.internal.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.contracts.inventory.v1.Reservation;
import dev.switchboard.contracts.inventory.v1.ReleaseRequest;
import dev.switchboard.embedded.CertificateAuthority;
import dev.switchboard.contracts.access.AccessPolicy;
import dev.switchboard.platform.security.ServiceIdentity;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.grpc.client.ChannelCredentialsProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS between two services over real sockets, with the managers a service gets
 * from its {@link ServiceIdentity}: who may call what, whom a client accepts as the
 * server, and renewal without a restart.
 */
class MutualTlsTest {

	private static final GetProductRequest READ = GetProductRequest.newBuilder().setSku("SKU-0001").build();

	private static final ReleaseRequest RELEASE = ReleaseRequest.newBuilder().setOrderId("o-1").build();

	@TempDir
	Path directory;

	private final CertificateAuthority authority = CertificateAuthority.create("Test CA");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private Server server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.shutdownNow();
		}
	}

	@Test
	void theCallerIsWhoItsCertificateNamesAndMayCallOnlyWhatThePolicyGrantsIt() throws Exception {
		ServiceIdentity inventory = identity("inventory");
		int port = serve(inventory);

		ServiceIdentity order = identity("order");
		ManagedChannel asOrder = channel(order, "inventory", port);
		ServiceIdentity shipping = identity("shipping");
		ManagedChannel asShipping = channel(shipping, "inventory", port);
		try {
			assertThat(InventoryServiceGrpc.newBlockingStub(asOrder).release(RELEASE).getOrderId()).isEqualTo("o-1");
			assertThat(InventoryServiceGrpc.newBlockingStub(asShipping).getProduct(READ).getSku())
				.isEqualTo("SKU-0001");

			StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
					() -> InventoryServiceGrpc.newBlockingStub(asShipping).release(RELEASE));
			assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
			assertThat(refused.getStatus().getDescription())
				.isEqualTo("shipping may not call switchboard.inventory.v1.InventoryService/Release");
			assertThat(this.meters.get(CallerAuthorization.DENIED)
				.tags("caller", "shipping", "target", "switchboard.inventory.v1.InventoryService/Release")
				.counter()
				.count()).isEqualTo(1);
		}
		finally {
			asOrder.shutdownNow();
			asShipping.shutdownNow();
		}
	}

	@Test
	void aClientAcceptsOnlyTheServiceItMeantToReach() throws Exception {
		int port = serve(identity("shipping"));
		ManagedChannel channel = channel(identity("order"), "inventory", port);
		try {
			StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
					() -> InventoryServiceGrpc.newBlockingStub(channel).getProduct(READ));
			assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		}
		finally {
			channel.shutdownNow();
		}
	}

	@Test
	void aCertificateFromAnotherAuthorityOrAnExpiredOneIsRefused() throws Exception {
		int port = serve(identity("inventory"));
		CertificateAuthority rogue = CertificateAuthority.create("Rogue CA");
		Instant now = Instant.now();
		for (CertificateAuthority.Issued caller : new CertificateAuthority.Issued[] {
				rogue.issue("order", Duration.ofHours(1)),
				this.authority.issue("order", now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))) }) {
			Path file = this.directory.resolve("caller-" + caller.certificate().getSerialNumber() + ".pem");
			caller.writeTo(file);
			ServiceIdentity identity = new ServiceIdentity(file, trustFile());
			ManagedChannel channel = channel(identity, "inventory", port);
			try {
				StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
						() -> InventoryServiceGrpc.newBlockingStub(channel).release(RELEASE));
				assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
			}
			finally {
				channel.shutdownNow();
			}
		}
	}

	@Test
	void aRenewedCertificateIsUsedFromTheNextConnectionWithoutARestart() throws Exception {
		ServiceIdentity inventory = identity("inventory");
		int port = serve(inventory);
		ServiceIdentity order = identity("order");
		ManagedChannel open = channel(order, "inventory", port);
		try {
			assertThat(InventoryServiceGrpc.newBlockingStub(open).release(RELEASE)).isNotNull();
			var before = inventory.certificate().getSerialNumber();
			assertThat(inventory.reload()).as("nothing changed yet").isFalse();

			this.authority.issue("inventory", Duration.ofMinutes(5)).writeTo(identityFile("inventory"));
			this.authority.issue("order", Duration.ofMinutes(5)).writeTo(identityFile("order"));
			assertThat(inventory.reload()).isTrue();
			assertThat(order.reload()).isTrue();
			assertThat(inventory.certificate().getSerialNumber()).isNotEqualTo(before);

			assertThat(InventoryServiceGrpc.newBlockingStub(open).release(RELEASE))
				.as("a connection made before the renewal")
				.isNotNull();
			ManagedChannel fresh = channel(order, "inventory", port);
			try {
				assertThat(InventoryServiceGrpc.newBlockingStub(fresh).release(RELEASE)).isNotNull();
			}
			finally {
				fresh.shutdownNow();
			}
		}
		finally {
			open.shutdownNow();
		}
	}

	/**
	 * From its creation on, not from when the application is ready: a slow start connects
	 * to Kafka and its database with it before then.
	 */
	@Test
	void anIdentityPicksUpItsRenewalsByItselfUntilClosed() throws Exception {
		try (ServiceIdentity order = identity("order").reloadingEvery(Duration.ofMillis(50))) {
			var loaded = order.certificate().getSerialNumber();
			this.authority.issue("order", Duration.ofMinutes(5)).writeTo(identityFile("order"));
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(order.certificate().getSerialNumber()).isNotEqualTo(loaded));
		}
	}

	@Test
	void aBrokenOrForeignRenewalIsIgnoredAndAMissingIdentityStopsTheStart() throws Exception {
		ServiceIdentity inventory = identity("inventory");
		var loaded = inventory.certificate().getSerialNumber();

		Files.writeString(identityFile("inventory"), "-----BEGIN PRIVATE KEY-----\nnot a key\n");
		assertThat(inventory.reload()).isFalse();
		this.authority.issue("shipping", Duration.ofMinutes(5)).writeTo(identityFile("inventory"));
		assertThat(inventory.reload()).as("a certificate naming another service").isFalse();
		assertThat(inventory.certificate().getSerialNumber()).isEqualTo(loaded);
		assertThat(inventory.name()).isEqualTo("inventory");

		assertThatIllegalStateException()
			.isThrownBy(() -> new ServiceIdentity(this.directory.resolve("missing.pem"), trustFile()))
			.withMessageContaining("missing.pem");
	}

	@Test
	void withAnIdentityTheServiceRegistersItsBundleAndChannelCredentials() throws Exception {
		identity("order");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MutualTlsAutoConfiguration.class))
			.withPropertyValues("switchboard.tls.identity-file=" + identityFile("order"),
					"switchboard.tls.trust-file=" + trustFile())
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ChannelCredentialsProvider.class);
				assertThat(context.getBean(ServiceIdentity.class).name()).isEqualTo("order");
				assertThat(context.getBean(SslBundles.class)
					.getBundle(MutualTlsAutoConfiguration.BUNDLE)
					.getManagers()
					.getKeyManagers()).hasSize(1);
				assertThat(context.getBean(SslBundles.class)
					.getBundle(MutualTlsAutoConfiguration.KAFKA_BUNDLE)
					.getManagers()
					.getTrustManagers()).hasSize(1);
			});
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MutualTlsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceIdentity.class));
	}

	@Test
	void thePlatformPolicyGrantsEveryGrpcMethodToSomeoneAndTheSensitiveOnesToOneCaller() {
		AccessPolicy policy = AccessPolicy.platform();
		for (io.grpc.ServiceDescriptor service : new io.grpc.ServiceDescriptor[] {
				InventoryServiceGrpc.getServiceDescriptor(),
				dev.switchboard.contracts.order.v1.OrderServiceGrpc.getServiceDescriptor(),
				io.grpc.health.v1.HealthGrpc.getServiceDescriptor() }) {
			service.getMethods()
				.forEach((method) -> assertThat(policy.grpc()).as("the policy on " + method.getFullMethodName())
					.containsKey(method.getFullMethodName()));
		}
		String inventory = "switchboard.inventory.v1.InventoryService/";
		for (String method : new String[] { "CheckAndReserve", "Release", "Allocate" }) {
			assertThat(policy.grpc().get(inventory + method)).containsExactly("order");
		}
		assertThat(policy.grpc().get("switchboard.order.v1.OrderService/CreateOrder")).containsExactly("gateway");
		assertThat(policy.allowsCall(null, inventory + "ListProducts")).isFalse();
		assertThat(policy.allowsCall("operator", "grpc.health.v1.Health/Check")).isTrue();
		assertThat(policy.allowsCall("order", "switchboard.inventory.v1.InventoryService/Unknown")).isFalse();
	}

	@BeforeEach
	void trust() throws IOException {
		Files.writeString(trustFile(), this.authority.certificatePem());
	}

	private ServiceIdentity identity(String service) throws IOException {
		this.authority.issue(service, Duration.ofMinutes(5)).writeTo(identityFile(service));
		return new ServiceIdentity(identityFile(service), trustFile());
	}

	private Path identityFile(String service) {
		return this.directory.resolve(service + ".pem");
	}

	private Path trustFile() {
		return this.directory.resolve("trust.pem");
	}

	/**
	 * An inventory server that asks for client certificates, with this service's identity
	 * and the platform's policy: reads for anyone, releases for order.
	 */
	private int serve(ServiceIdentity identity) throws IOException {
		AccessPolicy policy = new AccessPolicy(Map.of("switchboard.inventory.v1.InventoryService/GetProduct",
				java.util.Set.of("*"), "switchboard.inventory.v1.InventoryService/Release", java.util.Set.of("order")));
		this.server = Grpc
			.newServerBuilderForPort(0,
					TlsServerCredentials.newBuilder()
						.keyManager(identity.keyManager())
						.trustManager(identity.trustManager())
						.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
						.build())
			.addService(ServerInterceptors.intercept(new InventoryServiceGrpc.InventoryServiceImplBase() {

				@Override
				public void getProduct(GetProductRequest request, StreamObserver<Product> response) {
					response.onNext(Product.newBuilder().setSku(request.getSku()).build());
					response.onCompleted();
				}

				@Override
				public void release(ReleaseRequest request, StreamObserver<Reservation> response) {
					response.onNext(Reservation.newBuilder().setOrderId(request.getOrderId()).build());
					response.onCompleted();
				}

			}, new CallerAuthorization(policy, this.meters, identity.name())))
			.build()
			.start();
		return this.server.getPort();
	}

	/**
	 * A channel as {@code caller} to the service {@code callee}, as services open them.
	 */
	private static ManagedChannel channel(ServiceIdentity caller, String callee, int port) {
		ChannelCredentials credentials = TlsChannelCredentials.newBuilder()
			.keyManager(caller.keyManager())
			.trustManager(caller.trustManagerFor(callee))
			.build();
		return Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
	}

}
