package dev.switchboard.platform.internal.tracing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where finished spans go, over real HTTP to a stand-in collector on loopback: to a
 * Zipkin span endpoint (JSON) when {@code switchboard.tracing.zipkin.endpoint} names one,
 * to an OTLP/HTTP traces endpoint (protobuf) when
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} does, to both when both
 * are set, and nowhere when neither is.
 */
class SpanExportTest {

	private HttpServer collector;

	/** What the collector received, by path: the body of the last request. */
	private final Map<String, String> received = new ConcurrentHashMap<>();

	private final ApplicationContextRunner service = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, OtlpTracingAutoConfiguration.class,
				ZipkinExportAutoConfiguration.class))
		.withPropertyValues("spring.application.name=export-test", "management.tracing.sampling.probability=1.0");

	@BeforeEach
	void startCollector() throws IOException {
		this.collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		for (String path : new String[] { "/v1/traces", "/api/v2/spans" }) {
			this.collector.createContext(path, (exchange) -> {
				// The Zipkin sender compresses its batches.
				InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
						? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody();
				this.received.put(path, new String(body.readAllBytes(), StandardCharsets.ISO_8859_1));
				exchange.sendResponseHeaders(path.equals("/v1/traces") ? 200 : 202, -1);
				exchange.close();
			});
		}
		this.collector.start();
	}

	@AfterEach
	void stopCollector() {
		this.collector.stop(0);
	}

	@Test
	void sendsEverySpanToZipkinAndToAnOtlpCollectorWhenBothAreGiven() {
		String base = "http://127.0.0.1:" + this.collector.getAddress().getPort();
		this.service
			.withPropertyValues("switchboard.tracing.zipkin.endpoint=" + base + "/api/v2/spans",
					"management.opentelemetry.tracing.export.otlp.endpoint=" + base + "/v1/traces")
			.run((context) -> {
				context.getBean(OpenTelemetry.class).getTracer("test").spanBuilder("exported-span").startSpan().end();
				context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);

				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(this.received).containsKeys("/api/v2/spans", "/v1/traces"));
				assertThat(this.received.get("/api/v2/spans")).contains("\"name\":\"exported-span\"")
					.contains("\"serviceName\":\"export-test\"");
				assertThat(this.received.get("/v1/traces")).as("the OTLP protobuf names the span")
					.contains("exported-span");
			});
	}

	@Test
	void exportsNothingWhereNoEndpointIsGiven() {
		this.service.run((context) -> {
			assertThat(context).doesNotHaveBean(io.opentelemetry.exporter.zipkin.ZipkinSpanExporter.class);
			context.getBean(OpenTelemetry.class).getTracer("test").spanBuilder("kept-span").startSpan().end();
			assertThat(context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
				.isTrue();
			assertThat(this.received).isEmpty();
		});
	}

}
