package dev.switchboard.platform.internal.lab;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import dev.switchboard.contracts.lab.v1.ForwardReply;
import dev.switchboard.contracts.lab.v1.ForwardRequest;
import dev.switchboard.contracts.lab.v1.RelayGrpc;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.EdgeUnavailableException;
import dev.switchboard.platform.resilience.Edges;

/**
 * Passes a call on to the next service of its route, or answers it at the route's end.
 * Each hop goes through this service's edge to the next ({@code relay-<service>}: its own
 * deadline, breaker, bulkhead and retry budget, so lab traffic never trips the edges of
 * business calls), on a channel named after that service (mutual TLS, the service's
 * credential, tracing), as a business call would. The call is idempotent (an echo), so
 * the edge retries it after UNAVAILABLE or a missed deadline.
 */
final class RelayService extends RelayGrpc.RelayImplBase {

	/** Hops a call may still make: a route is not a way to multiply traffic. */
	static final int MAX_ROUTE = 9;

	private final String self;

	private final Set<String> allowed;

	private final Function<String, ManagedChannel> channels;

	private final Edges edges;

	private final Map<String, Peer> peers = new ConcurrentHashMap<>();

	/**
	 * @param self this service's name, added to each answer's hops
	 * @param allowed the services a call may be passed to, by name
	 * @param channels opens the channel named after a peer (on its first call)
	 * @param edges where each peer's edge comes from
	 */
	RelayService(String self, Collection<String> allowed, Function<String, ManagedChannel> channels, Edges edges) {
		this.self = self;
		this.allowed = new TreeSet<>(allowed);
		this.channels = channels;
		this.edges = edges;
	}

	@Override
	public void forward(ForwardRequest request, StreamObserver<ForwardReply> answer) {
		if (request.getRouteCount() == 0) {
			answer.onNext(ForwardReply.newBuilder().setPayload(request.getPayload()).addHops(this.self).build());
			answer.onCompleted();
			return;
		}
		if (request.getRouteCount() > MAX_ROUTE) {
			answer.onError(Status.INVALID_ARGUMENT
				.withDescription("a route may name at most " + MAX_ROUTE + " services, this one names "
						+ request.getRouteCount())
				.asRuntimeException());
			return;
		}
		String next = request.getRoute(0);
		if (!this.allowed.contains(next)) {
			answer.onError(Status.INVALID_ARGUMENT
				.withDescription(this.self + " relays to " + this.allowed + ", not to '" + next + "'")
				.asRuntimeException());
			return;
		}
		Peer peer = this.peers.computeIfAbsent(next, this::peer);
		ForwardRequest onward = request.toBuilder()
			.clearRoute()
			.addAllRoute(request.getRouteList().subList(1, request.getRouteCount()))
			.build();
		try {
			ForwardReply reply = peer.edge()
				.call(true, (deadline) -> peer.stub().withDeadlineAfter(deadline).forward(onward));
			answer.onNext(reply.toBuilder().addHops(this.self).build());
			answer.onCompleted();
		}
		catch (StatusRuntimeException ex) {
			// The status the hop further on ended with, as it was: the caller's edge
			// decides by its code, as it would for a failure of this service.
			answer.onError(ex.getStatus().asRuntimeException());
		}
		catch (EdgeUnavailableException ex) {
			answer.onError(Status.UNAVAILABLE.withDescription(ex.getMessage()).asRuntimeException());
		}
	}

	private Peer peer(String name) {
		ManagedChannel channel = this.channels.apply(name);
		return new Peer(RelayGrpc.newBlockingStub(channel),
				this.edges.edge("relay-" + name).reconnectWith(channel::resetConnectBackoff));
	}

	private record Peer(RelayGrpc.RelayBlockingStub stub, Edge edge) {
	}

}
