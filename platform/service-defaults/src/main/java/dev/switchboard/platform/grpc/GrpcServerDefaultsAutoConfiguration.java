package dev.switchboard.platform.grpc;

import java.util.concurrent.Executors;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerExecutorProvider;
import org.springframework.context.annotation.Bean;

/**
 * Runs gRPC calls on virtual threads, like the servlet container does once
 * {@code spring.threads.virtual.enabled} is set (that property does not reach the gRPC
 * server): a handler blocked on the database or a downstream call costs no platform thread.
 */
@AutoConfiguration
@ConditionalOnClass(GrpcServerExecutorProvider.class)
public class GrpcServerDefaultsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GrpcServerExecutorProvider virtualThreadGrpcExecutor() {
		return () -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("grpc-", 0).factory());
	}

}
