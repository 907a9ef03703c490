package dev.switchboard.testing;

import java.time.Duration;
import java.util.Map;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.switchboard.platform.internal.resilience.EdgeSettings;
import dev.switchboard.platform.internal.resilience.ResilienceProperties;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.grpc.client.ChannelBuilderOptions;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * What an adapter test needs to call a stand-in server on a real socket without a Spring
 * context: the channels to it and the caller's edges.
 */
public final class StandIns {

	private StandIns() {
	}

	/** Every channel, whatever its name, to {@code 127.0.0.1:port} in plain text. */
	public static GrpcChannelFactory channelsTo(int port) {
		return new GrpcChannelFactory() {

			@Override
			public boolean supports(String target) {
				return true;
			}

			@Override
			public ManagedChannel createChannel(String target, ChannelBuilderOptions options) {
				return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
			}

		};
	}

	/**
	 * Edges where {@code edge} makes one attempt per call (a failure is the test's to
	 * see, not retried away) within 2 s, with the default breaker and bulkhead.
	 */
	public static Edges edgesCallingOnce(String edge) {
		EdgeSettings once = new EdgeSettings(Duration.ofSeconds(2),
				new EdgeSettings.Retry(1, Duration.ofMillis(1), Duration.ofMillis(1), 0.1, 10),
				EdgeSettings.defaults().breaker(), EdgeSettings.defaults().bulkhead());
		return new Edges(new ResilienceProperties(Map.of(edge, once), null), CircuitBreakerRegistry.ofDefaults(),
				BulkheadRegistry.ofDefaults(), new SimpleMeterRegistry());
	}

}
