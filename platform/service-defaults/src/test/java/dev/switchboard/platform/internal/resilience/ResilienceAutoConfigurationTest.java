package dev.switchboard.platform.internal.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.switchboard.platform.resilience.Edges;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceAutoConfigurationTest {

	final ApplicationContextRunner context = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("switchboard.edges.inventory.timeout=5s",
				"switchboard.edges.inventory.breaker.slow-call-duration=3s",
				"switchboard.shedding.max-concurrent-requests=64");

	@Test
	void edgesTakeTheirSettingsFromPropertiesAndTheRestFromTheDefaults() {
		this.context.run((ctx) -> {
			EdgeSettings inventory = ctx.getBean(Edges.class).edge("inventory").snapshot().settings();
			assertThat(inventory.timeout()).hasSeconds(5);
			assertThat(inventory.breaker().slowCallDuration()).hasSeconds(3);
			assertThat(inventory.breaker().window()).isEqualTo(20);
			assertThat(inventory.retry().maxAttempts()).isEqualTo(3);
			assertThat(ctx.getBean(Edges.class).edge("analytics").snapshot().settings())
				.isEqualTo(EdgeSettings.defaults());
			assertThat(ctx.getBean(Shedding.class).snapshot()).containsEntry("maxConcurrentRequests", 64);
		});
	}

	@Test
	void breakerStateAndBulkheadsAreMetricsTaggedWithTheEdge() {
		this.context.run((ctx) -> {
			ctx.getBean(Edges.class).edge("inventory");
			MeterRegistry meters = ctx.getBean(MeterRegistry.class);

			assertThat(meters.find("resilience4j.circuitbreaker.state")
				.tag("name", "inventory")
				.tag("state", "closed")
				.gauge()).isNotNull().satisfies((gauge) -> assertThat(gauge.value()).isEqualTo(1.0));
			assertThat(meters.find("resilience4j.bulkhead.available.concurrent.calls").tag("name", "inventory").gauge())
				.isNotNull();
		});
	}

}
