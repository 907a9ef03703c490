package dev.switchboard.launcher.up;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How a service's jar is run: on JDK 25 and later, extracted (Spring Boot's
 * {@code -Djarmode=tools extract}: the application jar and its libraries as plain jars)
 * and with the JDK's ahead-of-time cache (JEP 483, 514, 515: classes loaded and linked,
 * and the method profiles the JIT compiles from, recorded once). The first run of a
 * service on a data directory is the training run: it records while the platform works
 * and writes {@code <data-dir>/jvm/<service>/<service>.aot} when it exits. Every later
 * start loads that cache, so a service starts faster and its JIT has profiles from its
 * first minute instead of spending minutes of CPU finding them again. A rebuilt jar or
 * another JDK starts over. On JDK 21 to 24 the plain jar runs as before.
 */
final class ServiceJar {

	/**
	 * The first JDK that writes an AOT cache from a training run in one step (JEP 514).
	 */
	static final int AOT_FEATURE = 25;

	private final Path jar;

	private final Path directory;

	private final String service;

	ServiceJar(String service, Path jar, Path dataDir) {
		this.service = service;
		this.jar = jar;
		this.directory = dataDir.resolve("jvm").resolve(service);
	}

	Path cache() {
		return this.directory.resolve(this.service + ".aot");
	}

	/**
	 * The JVM arguments that run the service: extracting its jar first when it (or the
	 * JDK) changed since the last extraction.
	 */
	List<String> arguments() throws IOException, InterruptedException {
		if (Runtime.version().feature() < AOT_FEATURE) {
			return List.of("-jar", this.jar.toString());
		}
		Path extracted = this.directory.resolve("app").resolve(this.service + ".jar");
		Properties source = source();
		if (!Files.exists(extracted) || !source.equals(recorded())) {
			extract();
			try (Writer out = Files.newBufferedWriter(this.directory.resolve("source.properties"))) {
				source.store(out, "the jar and JDK the extracted application and its AOT cache come from");
			}
		}
		List<String> arguments = new ArrayList<>();
		if (Files.exists(cache())) {
			arguments.add("-XX:AOTCache=" + cache());
		}
		else {
			// Training run: the cache is written when this JVM exits.
			arguments.add("-XX:AOTCacheOutput=" + cache());
		}
		arguments.addAll(List.of("-jar", extracted.toString()));
		return arguments;
	}

	private Properties source() throws IOException {
		Properties source = new Properties();
		source.setProperty("jar", this.jar.toString());
		source.setProperty("size", Long.toString(Files.size(this.jar)));
		source.setProperty("modified", Files.getLastModifiedTime(this.jar).toString());
		source.setProperty("jdk", Runtime.version().toString());
		return source;
	}

	private Properties recorded() {
		Properties recorded = new Properties();
		Path file = this.directory.resolve("source.properties");
		if (Files.exists(file)) {
			try (Reader in = Files.newBufferedReader(file)) {
				recorded.load(in);
			}
			catch (IOException ex) {
				// Unreadable: extract again.
			}
		}
		return recorded;
	}

	/**
	 * A fresh extraction, and no cache: one recorded from other classes would be refused
	 * anyway.
	 */
	private void extract() throws IOException, InterruptedException {
		if (Files.exists(this.directory)) {
			try (Stream<Path> files = Files.walk(this.directory)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(file);
				}
			}
		}
		Files.createDirectories(this.directory);
		Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Djarmode=tools",
				"-jar", this.jar.toString(), "extract", "--destination", this.directory.resolve("app").toString())
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("extract.log").toFile())
			.start();
		if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException(
					"could not extract " + this.jar + "; see " + this.directory.resolve("extract.log"));
		}
	}

}
