package dev.switchboard.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options of {@code switchboard up}. Each can also come from an environment variable;
 * the command line wins.
 */
record Options(Path dataDir, Optional<String> kafka, Optional<String> postgres, Optional<String> smtp, int gatewayPort,
		Path home) {

	static final String USAGE = """
			usage: switchboard up [--data-dir DIR] [--kafka BOOTSTRAP] [--postgres JDBC_URL] [--smtp HOST:PORT]
			  --data-dir DIR       where all state lives (default ./var; env SWITCHBOARD_DATA_DIR)
			  --kafka BOOTSTRAP    use this Kafka cluster instead of the embedded broker (env SWITCHBOARD_KAFKA)
			  --postgres JDBC_URL  use this PostgreSQL server instead of the embedded one; one database per
			                       service is created on it (env SWITCHBOARD_POSTGRES; user and password from
			                       the URL or SWITCHBOARD_POSTGRES_USER / SWITCHBOARD_POSTGRES_PASSWORD)
			  --smtp HOST:PORT     send notifications to this SMTP server instead of the embedded mail sink
			                       (env SWITCHBOARD_SMTP)
			  --gateway-port PORT  the gateway's port (default 8080; env SWITCHBOARD_GATEWAY_PORT)""";

	static Options parse(List<String> args, Map<String, String> env, Path home) {
		Path dataDir = Path.of(env.getOrDefault("SWITCHBOARD_DATA_DIR", "var"));
		Optional<String> kafka = Optional.ofNullable(env.get("SWITCHBOARD_KAFKA")).filter((s) -> !s.isBlank());
		Optional<String> postgres = Optional.ofNullable(env.get("SWITCHBOARD_POSTGRES")).filter((s) -> !s.isBlank());
		Optional<String> smtp = Optional.ofNullable(env.get("SWITCHBOARD_SMTP")).filter((s) -> !s.isBlank());
		int gatewayPort = Integer.parseInt(env.getOrDefault("SWITCHBOARD_GATEWAY_PORT", "8080"));
		List<String> rest = new ArrayList<>(args);
		while (!rest.isEmpty()) {
			String option = rest.removeFirst();
			if (rest.isEmpty()) {
				throw new IllegalArgumentException("missing value for " + option + "\n" + USAGE);
			}
			String value = rest.removeFirst();
			switch (option) {
				case "--data-dir" -> dataDir = Path.of(value);
				case "--kafka" -> kafka = Optional.of(value);
				case "--postgres" -> postgres = Optional.of(value);
				case "--smtp" -> smtp = Optional.of(value);
				case "--gateway-port" -> gatewayPort = Integer.parseInt(value);
				default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
			}
		}
		if (postgres.isPresent() && !postgres.get().startsWith("jdbc:postgresql://")) {
			throw new IllegalArgumentException("--postgres must be a jdbc:postgresql:// URL, was " + postgres.get());
		}
		if (smtp.isPresent() && !smtp.get().matches("[^:]+:\\d+")) {
			throw new IllegalArgumentException("--smtp must be HOST:PORT, was " + smtp.get());
		}
		return new Options(dataDir.toAbsolutePath().normalize(), kafka, postgres, smtp, gatewayPort, home);
	}

}
