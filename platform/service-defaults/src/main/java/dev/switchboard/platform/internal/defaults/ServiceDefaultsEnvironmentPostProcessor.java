package dev.switchboard.platform.internal.defaults;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds {@code switchboard-defaults.properties} as the last property source, so every
 * service starts from the same defaults (virtual threads, problem+json, Kafka
 * serialisation and durability settings) and can still override any of them.
 */
public class ServiceDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "switchboardDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		try {
			environment.getPropertySources()
				.addLast(new ResourcePropertySource(SOURCE_NAME,
						new ClassPathResource("switchboard-defaults.properties")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
