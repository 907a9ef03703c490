package dev.switchboard.order;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.grpc.BindableService;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.MetadataUtils;

import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.testing.TestTokens;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the order service's socket tests put around it: its gRPC port, the ports of the
 * stand-ins it calls (inventory, payment), the identity that signs customers' tokens, and
 * a channel to call it on as the gateway does. One per test class, in a static field;
 * {@link #close()} after all.
 */
final class OrderServiceSockets implements AutoCloseable {

	final int grpcPort = FreePorts.next();

	final int inventoryPort = FreePorts.next();

	final int paymentPort = FreePorts.next();

	final TestTokens tokens = TestTokens.start();

	private final List<Server> standIns = new ArrayList<>();

	private ManagedChannel channel;

	/**
	 * Where the order service verifies tokens, serves gRPC and finds inventory's gRPC
	 * server.
	 */
	void register(DynamicPropertyRegistry registry) {
		registry.add("switchboard.identity.jwk-set-uri", this.tokens::jwkSetUri);
		registry.add("switchboard.identity.issuer", () -> TestTokens.ISSUER);
		registry.add("spring.grpc.server.port", () -> this.grpcPort);
		registry.add("spring.grpc.client.channel.inventory.target", () -> "127.0.0.1:" + this.inventoryPort);
	}

	/**
	 * And where it finds payment's gRPC server (its charge as a call); payment's HTTP
	 * port, where a queued step's progress is asked, answers nothing: a call's step must
	 * time out all the same.
	 */
	void registerGrpcPayment(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channel.payment.target", () -> "127.0.0.1:" + this.paymentPort);
		registry.add("switchboard.services.payment.url", () -> "http://127.0.0.1:" + FreePorts.next());
	}

	/** Serves {@code service} on {@code port} (one of the stand-ins' above). */
	void serve(int port, BindableService service) throws IOException {
		this.standIns.add(ServerBuilder.forPort(port).addService(service).build().start());
	}

	/** The channel to the order service's gRPC port, as the gateway holds one. */
	synchronized ManagedChannel channel() {
		if (this.channel == null) {
			this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		}
		return this.channel;
	}

	/** The order service as a caller holding {@code token} calls it. */
	OrderServiceGrpc.OrderServiceBlockingStub as(String token, Duration deadline) {
		return OrderServiceGrpc.newBlockingStub(channel()).withInterceptors(bearer(token)).withDeadlineAfter(deadline);
	}

	/** The order service as customer {@code customerId} calls it, reading and writing. */
	OrderServiceGrpc.OrderServiceBlockingStub customer(String customerId, Duration deadline) {
		return as(this.tokens.issue(customerId, "orders:read", "orders:write"), deadline);
	}

	static ClientInterceptor bearer(String token) {
		Metadata headers = new Metadata();
		headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
		return MetadataUtils.newAttachHeadersInterceptor(headers);
	}

	/** The address every test order ships to. */
	static Address.Builder austin() {
		return Address.newBuilder().setCountry("US").setCity("Austin").setLine1("1 Main St").setPostalCode("78701");
	}

	@Override
	public void close() {
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
		this.standIns.forEach(Server::shutdownNow);
		this.tokens.close();
	}

}
