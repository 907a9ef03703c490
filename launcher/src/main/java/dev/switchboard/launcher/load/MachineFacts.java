package dev.switchboard.launcher.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a benchmark ran on, in one line: CPU model and count, memory, kernel, JDK. */
final class MachineFacts {

	private MachineFacts() {
	}

	static String describe() {
		String model = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
		String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal")
			.map((kb) -> Math.round(Long.parseLong(kb.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GB")
			.orElse("?");
		return String.format("%d cores (%s), %s memory, %s %s, JDK %s", Runtime.getRuntime().availableProcessors(),
				model, memory, System.getProperty("os.name"), System.getProperty("os.version"), Runtime.version());
	}

	private static java.util.Optional<String> firstValue(Path file, String key) {
		try {
			List<String> lines = Files.readAllLines(file);
			return lines.stream()
				.filter((line) -> line.startsWith(key))
				.map((line) -> line.substring(line.indexOf(':') + 1).strip())
				.findFirst();
		}
		catch (IOException ex) {
			return java.util.Optional.empty();
		}
	}

}
