package dev.switchboard.platform.internal.security;

import java.io.IOException;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Listening beyond loopback takes the service credential: a service so bound refuses to
 * start without it, and with it every HTTP and gRPC call must carry it (the gRPC part
 * over a real socket).
 */
class ServiceCredentialTest {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ServiceCredentialAutoConfiguration.class));

	@Test
	void onlyLoopbackListenersNeedNoCredential() {
		assertThat(ServiceCredentialAutoConfiguration
			.exposedListeners(new MockEnvironment().withProperty("server.address", "127.0.0.1")
				.withProperty("spring.grpc.server.address", "::1")))
			.isEmpty();
		assertThat(ServiceCredentialAutoConfiguration
			.exposedListeners(new MockEnvironment().withProperty("server.address", "0.0.0.0")
				.withProperty("spring.grpc.server.address", "*")
				.withProperty("management.server.address", "")))
			.containsExactly("server.address=0.0.0.0", "management.server.address=(every address)",
					"spring.grpc.server.address=*");
		assertThat(ServiceCredentialAutoConfiguration
			.exposedListeners(new MockEnvironment().withProperty("spring.grpc.server.address", "0.0.0.0")
				.withProperty("switchboard.tls.identity-file", "/run/tls/order.pem")))
			.as("a gRPC server that takes platform certificates only")
			.isEmpty();
		assertThat(ServiceCredentialAutoConfiguration
			.exposedListeners(new MockEnvironment().withProperty("server.address", "0.0.0.0")
				.withProperty("switchboard.tls.identity-file", "/run/tls/order.pem")))
			.as("HTTP in plain text")
			.containsExactly("server.address=0.0.0.0");
		assertThat(ServiceCredentialAutoConfiguration
			.exposedListeners(new MockEnvironment().withProperty("server.address", "0.0.0.0")
				.withProperty("management.server.address", "0.0.0.0")
				.withProperty("switchboard.tls.identity-file", "/run/tls/order.pem")
				.withProperty("switchboard.tls.http", "true")))
			.as("HTTP that takes platform certificates only")
			.isEmpty();
		assertThat(ServiceCredentialAutoConfiguration
			.exposedListeners(new MockEnvironment().withProperty("management.server.address", "0.0.0.0")
				.withProperty("management.server.port", "9000")
				.withProperty("switchboard.tls.identity-file", "/run/tls/order.pem")
				.withProperty("switchboard.tls.http", "true")))
			.as("a separate actuator port of a back-end service, which keeps plain HTTP")
			.containsExactly("management.server.address=0.0.0.0");
		assertThat(ServiceCredentialAutoConfiguration
			.exposedListeners(new MockEnvironment().withProperty("switchboard.public-listener", "true")
				.withProperty("server.address", "")))
			.as("the gateway's public listener")
			.isEmpty();
	}

	@Test
	void aServiceBoundBeyondLoopbackRefusesToStartWithoutTheCredential() {
		this.contexts.withPropertyValues("spring.grpc.server.address=0.0.0.0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("spring.grpc.server.address=0.0.0.0 listens beyond this machine")
				.hasMessageContaining("SWITCHBOARD_SERVICE_CREDENTIAL"));
		this.contexts.withPropertyValues("spring.grpc.server.address=0.0.0.0", "switchboard.service-credential=s3cret")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("serviceCredentialServerInterceptor")
				.hasBean("serviceCredentialClientInterceptor"));
		this.contexts.withPropertyValues("spring.grpc.server.address=127.0.0.1")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("serviceCredentialServerInterceptor"));
	}

	@Test
	void withTheCredentialEveryHttpCallShowsItButTheHealthStatus() throws Exception {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ServiceCredentialAutoConfiguration.class))
			.withPropertyValues("switchboard.service-credential=s3cret", "server.address=0.0.0.0")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(FilterRegistrationBean.class));
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ServiceCredentialAutoConfiguration.class))
			.withPropertyValues("switchboard.service-credential=s3cret", "switchboard.public-listener=true")
			.run((context) -> assertThat(context).as("the gateway's users bring tokens instead")
				.doesNotHaveBean(FilterRegistrationBean.class));

		ServiceCredentialFilter filter = new ServiceCredentialFilter(new ServiceCredential("s3cret"));
		assertThat(status(filter, "/summary", null)).isEqualTo(401);
		assertThat(status(filter, "/summary", "wrong")).isEqualTo(401);
		assertThat(status(filter, "/summary", "s3cret")).isEqualTo(200);
		assertThat(status(filter, "/actuator/health", null)).isEqualTo(200);
		assertThat(status(filter, "/actuator/metrics", null)).isEqualTo(401);
	}

	@Test
	void withTheCredentialEveryGrpcCallShowsIt() throws IOException {
		ServiceCredential credential = new ServiceCredential("s3cret");
		Server server = ServerBuilder.forPort(0)
			.addService(ServerInterceptors.intercept(new InventoryServiceGrpc.InventoryServiceImplBase() {
				@Override
				public void getProduct(GetProductRequest request, StreamObserver<Product> response) {
					response.onNext(Product.newBuilder().setSku(request.getSku()).build());
					response.onCompleted();
				}
			}, ServiceCredentialGrpc.server(credential)))
			.build()
			.start();
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
		try {
			GetProductRequest request = GetProductRequest.newBuilder().setSku("SKU-0001").build();
			assertThatThrownBy(() -> InventoryServiceGrpc.newBlockingStub(channel).getProduct(request))
				.isInstanceOfSatisfying(StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
			assertThatThrownBy(() -> InventoryServiceGrpc
				.newBlockingStub(ClientInterceptors.intercept(channel,
						ServiceCredentialGrpc.client(new ServiceCredential("wrong"))))
				.getProduct(request)).isInstanceOf(StatusRuntimeException.class);
			assertThat(InventoryServiceGrpc
				.newBlockingStub(ClientInterceptors.intercept(channel, ServiceCredentialGrpc.client(credential)))
				.getProduct(request)
				.getSku()).isEqualTo("SKU-0001");
		}
		finally {
			channel.shutdownNow();
			server.shutdownNow();
		}
	}

	private static int status(ServiceCredentialFilter filter, String path, String shown) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		if (shown != null) {
			request.addHeader(ServiceCredential.HEADER, shown);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain());
		return response.getStatus();
	}

}
