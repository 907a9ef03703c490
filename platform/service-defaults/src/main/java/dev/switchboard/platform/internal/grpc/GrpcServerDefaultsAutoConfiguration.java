package dev.switchboard.platform.internal.grpc;

import java.time.Duration;
import java.util.concurrent.Executors;

import io.grpc.Status;

import dev.switchboard.platform.messaging.InfrastructureFailures;
import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerExecutorProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;

/**
 * Runs gRPC calls on virtual threads, like the servlet container does once
 * {@code spring.threads.virtual.enabled} is set (that property does not reach the gRPC
 * server): a handler blocked on the database or a downstream call costs no platform
 * thread. A call that fails for want of the database answers UNAVAILABLE with a
 * Retry-After, which callers retry and count against their breaker, not UNKNOWN, which
 * says the server is broken.
 */
@AutoConfiguration
@ConditionalOnClass(GrpcServerExecutorProvider.class)
public class GrpcServerDefaultsAutoConfiguration {

	/**
	 * When a caller may try again after the database was away: a restart is likely done
	 * by then.
	 */
	static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(2);

	@Bean
	GrpcExceptionHandler infrastructureUnavailable() {
		return (failure) -> InfrastructureFailures.isInfrastructure(failure)
				? Status.UNAVAILABLE.withDescription("the service's database or broker is unavailable: " + failure)
					.withCause(failure)
					.asException(RetryAfter.trailers(DATABASE_RETRY_AFTER))
				: null;
	}

	@Bean
	@ConditionalOnMissingBean
	GrpcServerExecutorProvider virtualThreadGrpcExecutor() {
		return () -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("grpc-", 0).factory());
	}

}
