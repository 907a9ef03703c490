package dev.switchboard.platform.internal.defaults;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.util.HashMap;
import java.util.Map;

import dev.switchboard.platform.internal.security.MutualTlsAutoConfiguration;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds {@code switchboard-defaults.properties} as the last property source, so every
 * service starts from the same defaults (virtual threads, problem+json, Kafka
 * serialisation and durability settings) and can still override any of them. With a
 * service identity ({@code switchboard.tls.identity-file}), the gRPC server also requires
 * its callers' certificates, and Kafka's clients present it when
 * {@code switchboard.tls.kafka} says the broker requires it.
 */
public class ServiceDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "switchboardDefaults";

	static final String MUTUAL_TLS_SOURCE_NAME = "switchboardMutualTls";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		try {
			environment.getPropertySources()
				.addLast(new ResourcePropertySource(SOURCE_NAME,
						new ClassPathResource("switchboard-defaults.properties")));
			if (environment.containsProperty("switchboard.tls.identity-file")) {
				// The gRPC server speaks mutual TLS with the service's identity
				// (MutualTlsAutoConfiguration registers the bundles).
				Map<String, Object> tls = new HashMap<>(Map.of("spring.grpc.server.ssl.bundle",
						MutualTlsAutoConfiguration.BUNDLE, "spring.grpc.server.ssl.client-auth", "require"));
				if (environment.getProperty("switchboard.tls.kafka", Boolean.class, false)) {
					// So do Kafka's clients, with a broker that requires it. Identities
					// are services, not host names: the bundle's trust checks the name.
					tls.putAll(Map.of("spring.kafka.security.protocol", "SSL", "spring.kafka.ssl.bundle",
							MutualTlsAutoConfiguration.KAFKA_BUNDLE,
							"spring.kafka.properties.ssl.endpoint.identification.algorithm", ""));
				}
				environment.getPropertySources().addLast(new MapPropertySource(MUTUAL_TLS_SOURCE_NAME, tls));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
