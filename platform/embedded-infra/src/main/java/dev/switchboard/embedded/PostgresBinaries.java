package dev.switchboard.embedded;

import java.util.Locale;
import java.util.Optional;

/**
 * Which PostgreSQL binaries a machine needs, named as zonky's resolver looks them up on
 * the class path, and a plain answer where there are none. The build puts the current
 * platform's artifact on the class path (a Maven profile per platform).
 */
public final class PostgresBinaries {

	static final String UNSUPPORTED = "The embedded PostgreSQL runs on Linux (x86-64, arm64) and macOS "
			+ "(Intel, Apple silicon); on Windows run Switchboard under WSL2, or give --postgres JDBC_URL "
			+ "to use a PostgreSQL server you run.";

	private PostgresBinaries() {
	}

	/**
	 * The class path resource holding the binaries for {@code osName}/{@code osArch}, if
	 * any platform has one.
	 */
	public static Optional<String> resource(String osName, String osArch) {
		String os = osName.toLowerCase(Locale.ROOT);
		String system = os.startsWith("linux") ? "linux" : (os.startsWith("mac") ? "darwin" : null);
		String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
			case "amd64", "x86_64" -> "x86_64";
			case "aarch64", "arm64" -> "arm_64";
			default -> null;
		};
		return (system == null || arch == null) ? Optional.empty()
				: Optional.of("postgres-" + system + "-" + arch + ".txz");
	}

	/**
	 * Fails with a plain explanation when this machine has no binaries on the class path,
	 * instead of zonky's bare "missing binaries" error.
	 */
	static void checkPresent() {
		String osName = System.getProperty("os.name");
		String osArch = System.getProperty("os.arch");
		String name = resource(osName, osArch).orElseThrow(() -> new IllegalStateException(
				"No PostgreSQL binaries for " + osName + " " + osArch + ". " + UNSUPPORTED));
		if (PostgresBinaries.class.getClassLoader().getResource(name) == null) {
			throw new IllegalStateException("This build has no PostgreSQL binaries for " + osName + " " + osArch + " ("
					+ name + "); it was built on another platform. Rebuild here (./mvnw install -DskipTests). "
					+ UNSUPPORTED);
		}
	}

}
