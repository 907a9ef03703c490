package dev.switchboard.platform.internal.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;

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

}
