package dev.switchboard.launcher.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.switchboard.contracts.access.AccessPolicy;

/**
 * The platform's edges, read from its access policy, which names every caller of every
 * gRPC method and internal HTTP path and every producer and consumer of every topic and
 * work queue: the policy is the topology, and a new edge cannot exist without appearing
 * there.
 *
 * @param edges who talks to whom, and how
 */
record Topology(List<Edge> edges) {

	/**
	 * One edge.
	 *
	 * @param pattern {@code gRPC}, {@code REST}, {@code stream} (a Kafka topic) or
	 * {@code queue} (a work queue)
	 * @param channel the topic or queue of an asynchronous edge; empty for a call
	 */
	record Edge(String from, String to, String pattern, String channel) {

		boolean synchronous() {
			return this.channel.isEmpty();
		}

	}

	/** The order edges are listed in: calls first, then messages. */
	private static final List<String> PATTERNS = List.of("gRPC", "REST", "stream", "queue");

	private static final Set<String> NOT_SERVICES = Set.of(AccessPolicy.ANYONE, "operator");

	static Topology of(AccessPolicy policy) {
		Set<Edge> edges = new LinkedHashSet<>();
		policy.grpc().forEach((method, callers) -> {
			String service = owner(method);
			if (service != null) {
				callers.stream()
					.filter((caller) -> !NOT_SERVICES.contains(caller))
					.forEach((caller) -> edges.add(new Edge(caller, service, "gRPC", "")));
			}
		});
		policy.http().forEach((service, paths) -> {
			if (!NOT_SERVICES.contains(service)) {
				paths.values()
					.forEach((callers) -> callers.stream()
						.filter((caller) -> !NOT_SERVICES.contains(caller))
						.forEach((caller) -> edges.add(new Edge(caller, service, "REST", ""))));
			}
		});
		// One edge per channel and consumer, from all its producers: what is measured of
		// a message is measured where it is handled.
		policy.topics()
			.forEach((topic, flow) -> flow.consumers()
				.forEach((consumer) -> edges
					.add(new Edge(String.join(", ", flow.producers()), consumer, "stream", topic))));
		policy.queues()
			.forEach((queue, flow) -> flow.consumers()
				.forEach((consumer) -> edges
					.add(new Edge(String.join(", ", flow.producers()), consumer, "queue", queue))));
		List<Edge> sorted = new ArrayList<>(edges);
		sorted.sort(Comparator.comparing((Edge edge) -> PATTERNS.indexOf(edge.pattern()))
			.thenComparing(Edge::channel)
			.thenComparing(Edge::from)
			.thenComparing(Edge::to));
		return new Topology(sorted);
	}

	/**
	 * The service a gRPC method belongs to: {@code switchboard.<service>.v1.X/Method};
	 * {@code null} for the standard services every server has.
	 */
	private static String owner(String method) {
		String[] parts = method.split("\\.");
		return (parts.length > 2 && parts[0].equals("switchboard")) ? parts[1] : null;
	}

}
