package dev.switchboard.launcher.console;

import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.access.AccessPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console reads: the platform's edges from its access policy, and Prometheus's
 * text format, from which it computes an edge's p99 between two scrapes.
 */
class ConsoleFiguresTest {

	@Test
	void theTopologyHasEveryEdgeOfTheAccessPolicyCallsFirst() {
		Topology topology = Topology.of(AccessPolicy.platform());

		assertThat(topology.edges()).contains(new Topology.Edge("gateway", "order", "gRPC", ""),
				new Topology.Edge("order", "inventory", "gRPC", ""),
				new Topology.Edge("gateway", "payment", "REST", ""),
				new Topology.Edge("order", "analytics", "stream", "switchboard.order.events"),
				new Topology.Edge("order", "payment", "queue", "switchboard.payment.commands"));
		assertThat(topology.edges()).as("operators and anyone are not services")
			.noneMatch((edge) -> edge.from().equals("operator") || edge.from().equals("*"));
		assertThat(topology.edges().getFirst().pattern()).isEqualTo("gRPC");
		assertThat(topology.edges().getLast().pattern()).isEqualTo("queue");
	}

	@Test
	void readsSamplesWithEscapedLabelsAndTakesAQuantileBetweenTwoScrapes() {
		Samples before = Samples.parse("""
				# HELP x_seconds a histogram
				x_seconds_bucket{edge="order",le="0.01"} 5.0
				x_seconds_bucket{edge="order",le="0.1"} 10.0
				x_seconds_bucket{edge="order",le="+Inf"} 10.0
				x_seconds_count{edge="order",note="say \\"hi\\""} 10.0
				""");
		Samples after = Samples.parse("""
				x_seconds_bucket{edge="order",le="0.01"} 6.0
				x_seconds_bucket{edge="order",le="0.1"} 105.0
				x_seconds_bucket{edge="order",le="+Inf"} 110.0
				x_seconds_count{edge="order",note="say \\"hi\\""} 110.0
				""");

		assertThat(after.named("x_seconds_count").getFirst().label("note")).isEqualTo("say \"hi\"");
		assertThat(after.sum("x_seconds_count", (sample) -> true) - before.sum("x_seconds_count", (sample) -> true))
			.isEqualTo(100);
		TreeMap<Double, Double> from = before.buckets("x_seconds_bucket", (sample) -> true);
		TreeMap<Double, Double> to = after.buckets("x_seconds_bucket", (sample) -> true);
		// 100 new observations: 1 under 10 ms, 95 under 100 ms, 4 above.
		assertThat(Samples.quantile(0.5, from, to)).isEqualTo(0.1);
		assertThat(Samples.quantile(0.99, from, to)).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(Samples.quantile(0.99, to, to)).as("nothing observed").isNaN();
	}

}
