package dev.switchboard.platform.internal.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Trace context for messages, from the service's tracer (OpenTelemetry with W3C
 * propagation), or one that carries nothing when tracing is switched off.
 */
@AutoConfiguration(after = { OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
		NoopTracerAutoConfiguration.class })
public class TracingAutoConfiguration {

	@Bean
	MessageTracing messageTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		Tracer t = tracer.getIfAvailable();
		Propagator p = propagator.getIfAvailable();
		return (t != null && p != null) ? new MessageTracing(t, p) : MessageTracing.none();
	}

	/**
	 * No observations of Spring Security's filter chain, authentications and
	 * authorizations. They made five spans per request at the gateway and wrapped each of
	 * its security filters in an observation, work on every request for figures nobody
	 * read: the request's own span (http.server.requests) already times the whole, and a
	 * refusal is counted by the platform's meters.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SecurityObservationSettings.class)
	static class SecurityObservations {

		@Bean
		@ConditionalOnMissingBean
		SecurityObservationSettings securityObservationSettings() {
			return SecurityObservationSettings.noObservations();
		}

	}

}
