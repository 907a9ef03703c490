package dev.switchboard.launcher.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a service's CPU goes, layer by layer: a JDK Flight Recorder profile of the
 * service (started and stopped with {@code jcmd}) whose execution samples are each given
 * to the layer of the innermost frame that is not the JDK's own (a {@code HashMap} lookup
 * counts for the library that made it). Only Java code is sampled: garbage collection,
 * JIT compilation and the kernel's share are not in these figures.
 */
final class Layers {

	/** Layers by the package their code is in; the first match wins. */
	static final Map<String, List<String>> LAYERS = layers();

	static final String JDK_LAYER = "JDK (threads, I/O, collections)";

	static final String OTHER_LAYER = "other libraries";

	private Layers() {
	}

	private static Map<String, List<String>> layers() {
		Map<String, List<String>> layers = new LinkedHashMap<>();
		layers.put("TLS", List.of("sun.security.", "com.sun.crypto.", "javax.net.ssl."));
		layers.put("Tomcat (HTTP server)", List.of("org.apache.tomcat.", "org.apache.coyote.", "org.apache.catalina."));
		layers.put("Spring Security (token, authorization)", List.of("org.springframework.security.", "com.nimbusds."));
		layers.put("tracing and metrics", List.of("io.micrometer.", "io.opentelemetry.", "io.prometheus.",
				"org.springframework.boot.micrometer."));
		layers.put("edge (deadline, breaker, bulkhead, retry budget)",
				List.of("dev.switchboard.platform.resilience.", "io.github.resilience4j."));
		layers.put("shedding, caller authorization, faults",
				List.of("dev.switchboard.platform.internal.resilience.", "dev.switchboard.platform.internal.security.",
						"dev.switchboard.platform.internal.fault.", "dev.switchboard.platform.internal.grpc."));
		layers.put("rate limits", List.of("dev.switchboard.gateway.security.", "io.github.bucket4j."));
		layers.put("REST client (Apache HttpClient)", List.of("org.apache.hc."));
		layers.put("gRPC and Netty", List.of("io.grpc.", "io.netty.", "org.springframework.grpc."));
		layers.put("JSON (Jackson)", List.of("tools.jackson.", "com.fasterxml.jackson."));
		layers.put("protobuf", List.of("com.google.protobuf."));
		layers.put("database (JDBC, pool, driver)", List.of("org.postgresql.", "com.zaxxer.",
				"org.springframework.jdbc.", "org.springframework.transaction."));
		layers.put("logging", List.of("ch.qos.logback.", "org.slf4j."));
		layers.put("Spring MVC and web", List.of("org.springframework.web.", "org.springframework.http."));
		layers.put("Spring (beans, proxies, other)", List.of("org.springframework."));
		layers.put("the service's own code", List.of("dev.switchboard."));
		return layers;
	}

	/** Starts a recording named {@code name} in the JVM {@code pid}. */
	static void start(long pid, String name) throws IOException, InterruptedException {
		jcmd(pid, "JFR.start", "name=" + name, "settings=profile");
	}

	/** Stops the recording {@code name} of {@code pid}, writing it to {@code file}. */
	static void stop(long pid, String name, Path file) throws IOException, InterruptedException {
		jcmd(pid, "JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
	}

	private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		List<String> line = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
		line.addAll(List.of(command));
		Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("jcmd " + String.join(" ", command) + " failed for " + pid + ": " + output.strip());
		}
	}

	/**
	 * The share of the execution samples in {@code file} of each layer, largest first.
	 */
	static Map<String, Double> shares(Path file) throws IOException {
		Map<String, Long> counts = new LinkedHashMap<>();
		long total = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
			if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
				continue;
			}
			counts.merge(layerOf(event.getStackTrace().getFrames()), 1L, Long::sum);
			total++;
		}
		long samples = total;
		Map<String, Double> shares = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.forEach((entry) -> shares.put(entry.getKey(), (double) entry.getValue() / samples));
		return shares;
	}

	/** The layer of a sample's stack (innermost frame first). */
	static String layerOf(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			if (frame.getMethod() == null) {
				continue;
			}
			String layer = layerOf(frame.getMethod().getType().getName());
			if (layer != null) {
				return layer;
			}
		}
		return JDK_LAYER;
	}

	/** The layer of a class, or {@code null} for the JDK's own (other than TLS). */
	static String layerOf(String className) {
		for (Map.Entry<String, List<String>> layer : LAYERS.entrySet()) {
			for (String prefix : layer.getValue()) {
				if (className.startsWith(prefix)) {
					return layer.getKey();
				}
			}
		}
		boolean jdk = className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
				|| className.startsWith("sun.") || className.startsWith("com.sun.");
		return jdk ? null : OTHER_LAYER;
	}

}
