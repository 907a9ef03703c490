package dev.switchboard.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code switchboard.*} property the services read is described in the
 * configuration metadata their build generates (what IDEs complete and document): from
 * {@code @ConfigurationProperties}, or from a module's
 * {@code additional-spring-configuration-metadata.json} for those read with
 * {@code @Value}. Runs after the services are compiled (the launcher builds after them).
 */
class ConfigurationMetadataTest {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	/**
	 * {@code ${switchboard.x:default}} in code, {@code switchboard.x=} in properties
	 * files.
	 */
	private static final Pattern READ = Pattern.compile("(?:\\$\\{|^)(switchboard\\.[a-z0-9.-]*[a-z0-9])(?=[:}=])",
			Pattern.MULTILINE);

	@Test
	void everySwitchboardPropertyIsDescribed() throws IOException {
		Map<String, JsonNode> described = new HashMap<>();
		Set<String> read = new TreeSet<>();
		try (Stream<Path> files = Files.walk(REPOSITORY)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				String path = file.toString();
				if (path.endsWith("target/classes/META-INF/spring-configuration-metadata.json")) {
					JsonMapper.builder()
						.build()
						.readTree(file.toFile())
						.path("properties")
						.forEach((property) -> described.put(property.path("name").asString(), property));
				}
				else if (path.contains("/src/main/") && !path.contains("/target/")
						&& (path.endsWith(".java") || path.endsWith(".properties"))) {
					Matcher matcher = READ.matcher(Files.readString(file));
					while (matcher.find()) {
						read.add(matcher.group(1));
					}
				}
			}
		}
		assertThat(read).contains("switchboard.shipping.denied-countries", "switchboard.edges.order-create.timeout");
		assertThat(described).containsKeys("switchboard.outbox.batch-size",
				"switchboard.shedding.max-concurrent-requests");
		for (String property : read) {
			assertThat(isDescribed(property, described)).as("%s is in the configuration metadata", property).isTrue();
		}
		described.forEach(
				(name, property) -> assertThat(property.path("description").asString()).as("%s has a description", name)
					.isNotBlank());
	}

	/**
	 * Named itself, or under a described map (switchboard.edges.NAME.timeout under
	 * switchboard.edges).
	 */
	private static boolean isDescribed(String property, Map<String, JsonNode> described) {
		if (described.containsKey(property)) {
			return true;
		}
		return described.entrySet()
			.stream()
			.anyMatch((e) -> property.startsWith(e.getKey() + ".")
					&& e.getValue().path("type").asString().startsWith("java.util.Map<"));
	}

}
