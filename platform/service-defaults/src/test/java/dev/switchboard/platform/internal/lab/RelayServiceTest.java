package dev.switchboard.platform.internal.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.lab.v1.ForwardReply;
import dev.switchboard.contracts.lab.v1.ForwardRequest;
import dev.switchboard.contracts.lab.v1.RelayGrpc;
import dev.switchboard.platform.internal.resilience.ResilienceProperties;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.Edges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three relays on loopback sockets, each reaching the others on channels of their names,
 * through its own edges.
 */
class RelayServiceTest {

	private static final ByteString PAYLOAD = ByteString.copyFromUtf8("sixty-four bytes or so");

	private final Map<String, Integer> ports = new ConcurrentHashMap<>();

	private final List<Server> servers = new ArrayList<>();

	private final List<ManagedChannel> channels = new ArrayList<>();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	/** How many calls of {@code inventory}'s the interceptor there still fails. */
	private final AtomicInteger inventoryFailures = new AtomicInteger();

	private RelayGrpc.RelayBlockingStub start() throws IOException {
		Edges edges = new Edges(new ResilienceProperties(Map.of(), null), CircuitBreakerRegistry.ofDefaults(),
				BulkheadRegistry.ofDefaults(), this.meters);
		ServerInterceptor failing = new ServerInterceptor() {
			@Override
			public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
					ServerCallHandler<Q, R> next) {
				if (RelayServiceTest.this.inventoryFailures.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
					call.close(Status.UNAVAILABLE.withDescription("injected"), new Metadata());
					return new ServerCall.Listener<>() {
					};
				}
				return next.startCall(call, headers);
			}
		};
		for (String name : List.of("order", "inventory", "payment")) {
			RelayService relay = new RelayService(name, List.of("order", "inventory"), this::channel, edges);
			Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
				.addService(
						name.equals("inventory") ? ServerInterceptors.intercept(relay, failing) : relay.bindService())
				.build()
				.start();
			this.servers.add(server);
			this.ports.put(name, server.getPort());
		}
		return RelayGrpc.newBlockingStub(channel("order")).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	private ManagedChannel channel(String name) {
		ManagedChannel channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", this.ports.get(name), InsecureChannelCredentials.create())
			.build();
		synchronized (this.channels) {
			this.channels.add(channel);
		}
		return channel;
	}

	@AfterEach
	void stop() throws InterruptedException {
		for (ManagedChannel channel : this.channels) {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		for (Server server : this.servers) {
			server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void aCallGoesAlongItsRouteAndItsPayloadComesBackWithEveryHop() throws IOException {
		RelayGrpc.RelayBlockingStub order = start();

		ForwardReply reply = order
			.forward(ForwardRequest.newBuilder().addRoute("inventory").addRoute("order").setPayload(PAYLOAD).build());

		assertThat(reply.getPayload()).isEqualTo(PAYLOAD);
		assertThat(reply.getHopsList()).containsExactly("order", "inventory", "order");
		assertThat(order.forward(ForwardRequest.newBuilder().setPayload(PAYLOAD).build()).getHopsList())
			.as("no route: answered where it arrived")
			.containsExactly("order");
		assertThat(this.meters.find(Edge.CALLS_METER).tag("edge", "relay-inventory").timers())
			.as("through the caller's edge to inventory")
			.isNotEmpty();
	}

	@Test
	void anUnavailableHopIsRetriedByTheEdgeBeforeIt() throws IOException {
		RelayGrpc.RelayBlockingStub order = start();
		this.inventoryFailures.set(1);

		ForwardReply reply = order
			.forward(ForwardRequest.newBuilder().addRoute("inventory").addRoute("order").setPayload(PAYLOAD).build());

		assertThat(reply.getHopsList()).containsExactly("order", "inventory", "order");
		assertThat(this.meters.find(Edge.RETRIES_METER)
			.tags("edge", "relay-inventory", "result", "made")
			.functionCounter()).isNotNull().satisfies((retries) -> assertThat(retries.count()).isEqualTo(1.0));
	}

	@Test
	void aHopThatStaysDownFailsTheWholeCallWithItsStatus() throws IOException {
		RelayGrpc.RelayBlockingStub order = start();
		this.inventoryFailures.set(1000);

		assertThatThrownBy(() -> order.forward(ForwardRequest.newBuilder().addRoute("inventory").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		assertThat(this.inventoryFailures.get()).as("tried three times, no more").isEqualTo(997);
	}

	@Test
	void aRouteToAServiceItDoesNotKnowOrTooLongIsRefused() throws IOException {
		RelayGrpc.RelayBlockingStub order = start();

		assertThatThrownBy(() -> order.forward(ForwardRequest.newBuilder().addRoute("payment").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription())
					.isEqualTo("order relays to [inventory, order], not to 'payment'");
			});
		ForwardRequest.Builder tooLong = ForwardRequest.newBuilder();
		for (int hop = 0; hop <= RelayService.MAX_ROUTE; hop++) {
			tooLong.addRoute("inventory");
		}
		assertThatThrownBy(() -> order.forward(tooLong.build())).isInstanceOfSatisfying(StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getDescription()).contains("at most 9 services"));
		assertThatThrownBy(
				() -> order.forward(ForwardRequest.newBuilder().addRoute("inventory").addRoute("nowhere").build()))
			.as("refused further on: the status comes back as it was")
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).contains("inventory relays to");
			});
	}

}
