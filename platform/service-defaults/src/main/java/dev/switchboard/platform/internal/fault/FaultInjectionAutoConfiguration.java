package dev.switchboard.platform.internal.fault;

import java.time.Clock;

import dev.switchboard.platform.internal.resilience.ResilienceAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;

/**
 * Fault injection into every service's inbound HTTP and gRPC calls, driven through
 * {@code /admin/faults}. Inside load shedding: a slowed call keeps its place, as a really
 * slow service's calls would.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
public class FaultInjectionAutoConfiguration {

	private static final int FAULT_ORDER = ResilienceAutoConfiguration.SHEDDING_ORDER + 10;

	@Bean
	FaultInjector faultInjector() {
		return new FaultInjector(Clock.systemUTC());
	}

	@Bean
	FaultController faultController(FaultInjector faults) {
		return new FaultController(faults, Clock.systemUTC());
	}

	@Bean
	FilterRegistrationBean<HttpFaultFilter> httpFaults(FaultInjector faults) {
		FilterRegistrationBean<HttpFaultFilter> registration = new FilterRegistrationBean<>(
				new HttpFaultFilter(faults));
		registration.setOrder(FAULT_ORDER);
		return registration;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(GlobalServerInterceptor.class)
	static class GrpcFaults {

		@Bean
		@GlobalServerInterceptor
		@Order(FAULT_ORDER)
		GrpcFaultInterceptor grpcFaults(FaultInjector faults) {
			return new GrpcFaultInterceptor(faults);
		}

	}

}
