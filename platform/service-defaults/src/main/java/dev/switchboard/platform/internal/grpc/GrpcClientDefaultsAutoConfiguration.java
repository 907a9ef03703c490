package dev.switchboard.platform.internal.grpc;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * gRPC client channels without grpc-java's transparent retries. Retries are a policy this
 * platform sets explicitly per call (deadline, budget, idempotency). And under thousands
 * of concurrent blocking calls from virtual threads, the retry bookkeeping's channel-wide
 * lock stalled the gateway completely in a 200 orders/s load test: every request thread
 * queued on that one monitor.
 */
@AutoConfiguration
@ConditionalOnClass(GrpcChannelBuilderCustomizer.class)
public class GrpcClientDefaultsAutoConfiguration {

	@Bean
	<T extends io.grpc.ManagedChannelBuilder<T>> GrpcChannelBuilderCustomizer<T> noTransparentRetries() {
		return (name, builder) -> builder.disableRetry();
	}

}
