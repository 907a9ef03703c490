package dev.switchboard.platform.internal.grpc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.messaging.InfrastructureFailures;
import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerExecutorProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.grpc.server.service.GrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceSpec;

/**
 * Runs gRPC calls on virtual threads, like the servlet container does once
 * {@code spring.threads.virtual.enabled} is set (that property does not reach the gRPC
 * server): a handler blocked on the database or a downstream call costs no platform
 * thread. What a call throws is answered by the service's own table of refusals (a
 * {@link GrpcExceptionHandler} bean) first; then, for want of the database, UNAVAILABLE
 * with a Retry-After, which callers retry and count against their breaker; anything else
 * INTERNAL, logged.
 */
@AutoConfiguration
@ConditionalOnClass(GrpcServerExecutorProvider.class)
public class GrpcServerDefaultsAutoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(GrpcServerDefaultsAutoConfiguration.class);

	/**
	 * When a caller may try again after the database was away: a restart is likely done
	 * by then.
	 */
	static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(2);

	/**
	 * Every service answers a request that is not its message with INVALID_ARGUMENT
	 * ({@link MalformedRequests}): its methods take raw bytes and parse them innermost,
	 * after the interceptors, so that a refusal passes through them like any answer (the
	 * shedding permit is released, the call is traced).
	 */
	@Bean
	static BeanPostProcessor malformedRequestsRefused() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof GrpcServiceConfigurer services) {
					return (GrpcServiceConfigurer) (spec, factory) -> services
						.configure(new GrpcServiceSpec(() -> MalformedRequests.refused(spec.service().bindService()),
								spec.serviceInfo()), factory);
				}
				return bean;
			}
		};
	}

	/**
	 * After each service's own table of refusals: a value the database would not take
	 * (SQLSTATE class 22, "data exception": a NUL character, a number out of range, a
	 * string too long) is the caller's input, answered INVALID_ARGUMENT, which no breaker
	 * counts. As an INTERNAL, a few such requests would open the callers' breakers for
	 * everyone.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE - 2)
	GrpcExceptionHandler invalidData() {
		return (failure) -> {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof SQLException sql && sql.getSQLState() != null
						&& sql.getSQLState().startsWith("22")) {
					return Status.INVALID_ARGUMENT.withDescription("a value was refused: " + sql.getMessage())
						.asException();
				}
			}
			return null;
		};
	}

	/** After each service's own table of refusals. */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE - 1)
	GrpcExceptionHandler infrastructureUnavailable() {
		return (failure) -> InfrastructureFailures.isInfrastructure(failure)
				? Status.UNAVAILABLE.withDescription("the service's database or broker is unavailable: " + failure)
					.withCause(failure)
					.asException(RetryAfter.trailers(DATABASE_RETRY_AFTER))
				: null;
	}

	/**
	 * Last: what no handler knew is a bug, logged here with its stack and answered
	 * INTERNAL (not UNKNOWN); a status a service threw on purpose passes as it is.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	GrpcExceptionHandler unexpectedFailure() {
		return (failure) -> {
			if (failure instanceof StatusException || failure instanceof StatusRuntimeException) {
				return Status.fromThrowable(failure).asException(Status.trailersFromThrowable(failure));
			}
			log.error("A gRPC call failed", failure);
			return Status.INTERNAL.withDescription("the service failed unexpectedly; its log has the details")
				.asException();
		};
	}

	@Bean
	@ConditionalOnMissingBean
	GrpcServerExecutorProvider virtualThreadGrpcExecutor() {
		return () -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("grpc-", 0).factory());
	}

}
