package dev.switchboard.platform.internal.lab;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.server.GrpcServerFactory;

import dev.switchboard.platform.internal.resilience.ResilienceAutoConfiguration;
import dev.switchboard.platform.resilience.Edges;

/**
 * The lab's relay ({@code switchboard.lab.v1.Relay}), served only when
 * {@code switchboard.lab.relay.enabled} is true
 * ({@code ./switchboard up --lab-relay on}), by a service that serves and calls gRPC: it
 * forwards to the services named in {@code switchboard.lab.relay.peers}, each reached on
 * the channel of its name ({@code spring.grpc.client.channel.<peer>.target}).
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass({ GrpcServerFactory.class, GrpcChannelFactory.class })
@ConditionalOnProperty(name = "switchboard.lab.relay.enabled", havingValue = "true")
public class LabRelayAutoConfiguration {

	@Bean
	RelayService labRelay(@Value("${spring.application.name}") String self,
			@Value("${switchboard.lab.relay.peers:}") List<String> peers, GrpcChannelFactory channels, Edges edges) {
		return new RelayService(self, peers, channels::createChannel, edges);
	}

}
