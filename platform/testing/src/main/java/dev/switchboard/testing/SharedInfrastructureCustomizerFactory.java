package dev.switchboard.testing;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points the context of a {@link ServiceIntegrationTest} at the shared infrastructure
 * before it starts (registered in {@code META-INF/spring.factories}).
 */
public final class SharedInfrastructureCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		MergedAnnotation<ServiceIntegrationTest> test = MergedAnnotations
			.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
			.get(ServiceIntegrationTest.class);
		if (!test.isPresent()) {
			return null;
		}
		return new Customizer(test.getString("service"), List.of(test.getStringArray("topics")));
	}

	/**
	 * Equal for equal services and topics, so that Spring's context cache can share a
	 * context (and its database) between test classes configured alike.
	 */
	private record Customizer(String service, List<String> topics) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			Map<String, Object> properties = SharedInfrastructure.connect(this.service);
			if (!this.topics.isEmpty()) {
				TestEvents.createTopics(this.topics.toArray(String[]::new));
			}
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("switchboard-shared-infrastructure", properties));
		}

	}

}
