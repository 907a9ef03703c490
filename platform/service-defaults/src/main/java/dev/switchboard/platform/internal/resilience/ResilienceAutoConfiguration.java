package dev.switchboard.platform.internal.resilience;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.switchboard.platform.resilience.Edges;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;

/**
 * Protected outgoing edges ({@link Edges}) and load shedding at the service's own front
 * door, HTTP and gRPC, with their state in {@code /actuator/resilience} and in metrics.
 */
@AutoConfiguration
@EnableConfigurationProperties(ResilienceProperties.class)
public class ResilienceAutoConfiguration {

	/** Shedding runs before everything else, fault injection included. */
	public static final int SHEDDING_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	@Bean
	CircuitBreakerRegistry circuitBreakerRegistry(ObjectProvider<MeterRegistry> meters) {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		meters.ifAvailable((m) -> TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(m));
		return registry;
	}

	@Bean
	BulkheadRegistry bulkheadRegistry(ObjectProvider<MeterRegistry> meters) {
		BulkheadRegistry registry = BulkheadRegistry.ofDefaults();
		meters.ifAvailable((m) -> TaggedBulkheadMetrics.ofBulkheadRegistry(registry).bindTo(m));
		return registry;
	}

	@Bean
	Edges edges(ResilienceProperties properties, CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads,
			ObjectProvider<MeterRegistry> meters) {
		return new Edges(properties, breakers, bulkheads, meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	Shedding shedding(ResilienceProperties properties, BulkheadRegistry bulkheads,
			ObjectProvider<MeterRegistry> meters) {
		return new Shedding(properties.shedding(), bulkheads, meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	ResilienceEndpoint resilienceEndpoint(Edges edges, Shedding shedding) {
		return new ResilienceEndpoint(edges, shedding);
	}

	@Bean
	FilterRegistrationBean<HttpSheddingFilter> httpShedding(Shedding shedding) {
		FilterRegistrationBean<HttpSheddingFilter> registration = new FilterRegistrationBean<>(
				new HttpSheddingFilter(shedding));
		registration.setOrder(SHEDDING_ORDER);
		return registration;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(GlobalServerInterceptor.class)
	static class GrpcShedding {

		@Bean
		@GlobalServerInterceptor
		@Order(SHEDDING_ORDER)
		GrpcSheddingInterceptor grpcShedding(Shedding shedding) {
			return new GrpcSheddingInterceptor(shedding);
		}

	}

}
