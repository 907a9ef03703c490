package dev.switchboard.platform.internal.tracing;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import zipkin2.reporter.urlconnection.URLConnectionSender;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Sends every finished span to a Zipkin server (the one {@code switchboard up} runs),
 * when {@code switchboard.tracing.zipkin.endpoint} names its span endpoint. Boot's
 * OpenTelemetry configuration hands each {@code SpanExporter} bean a batching processor,
 * beside the OTLP exporter it configures itself when
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} is set.
 *
 * <p>
 * Written here because Spring Boot's own configuration of it
 * ({@code ZipkinWithOpenTelemetryTracingAutoConfiguration}) is deprecated for removal
 * since 4.0.4 and takes its sender from {@code spring-boot-zipkin}, which brings Brave's
 * reporter along; it stays inactive here, having no sender. The exporter itself is
 * OpenTelemetry's, sending with the JDK's {@code HttpURLConnection}.
 */
@AutoConfiguration(before = OpenTelemetryTracingAutoConfiguration.class)
@ConditionalOnClass(ZipkinSpanExporter.class)
@ConditionalOnProperty("switchboard.tracing.zipkin.endpoint")
public class ZipkinExportAutoConfiguration {

	/** Where the spans go, such as {@code http://127.0.0.1:9411/api/v2/spans}. */
	static final String ENDPOINT = "switchboard.tracing.zipkin.endpoint";

	@Bean(destroyMethod = "close")
	ZipkinSpanExporter zipkinSpanExporter(Environment environment) {
		URLConnectionSender sender = URLConnectionSender.newBuilder()
			.endpoint(environment.getRequiredProperty(ENDPOINT))
			.connectTimeout(1_000)
			.readTimeout(5_000)
			.build();
		return ZipkinSpanExporter.builder().setSender(sender).build();
	}

}
