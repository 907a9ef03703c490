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

	/**
	 * The internal HTTP port asks every caller for a certificate from the platform's
	 * authority: the service's own port, or the gateway's actuator port (its public port
	 * faces users). Tomcat reads the certificate from a PEM bundle that Spring Boot
	 * reloads when the files are renewed.
	 */
	private static Map<String, Object> internalHttp(ConfigurableEnvironment environment) {
		String bundle = "spring.ssl.bundle.pem." + MutualTlsAutoConfiguration.HTTP_BUNDLE;
		String identity = "file:" + environment.getProperty("switchboard.tls.identity-file");
		Map<String, Object> http = new HashMap<>(Map.of(bundle + ".keystore.certificate", identity,
				bundle + ".keystore.private-key", identity, bundle + ".truststore.certificate",
				"file:" + environment.getProperty("switchboard.tls.trust-file"), bundle + ".reload-on-update", "true",
				"spring.ssl.bundle.watch.file.quiet-period", "1s"));
		String server = environment.getProperty("switchboard.public-listener", Boolean.class, false)
				? "management.server.ssl" : "server.ssl";
		http.put(server + ".bundle", MutualTlsAutoConfiguration.HTTP_BUNDLE);
		http.put(server + ".client-auth", "need");
		return http;
	}

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
				if (environment.getProperty("switchboard.tls.http", Boolean.class, false)) {
					tls.putAll(internalHttp(environment));
				}
				environment.getPropertySources().addLast(new MapPropertySource(MUTUAL_TLS_SOURCE_NAME, tls));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
