package dev.switchboard.launcher;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Maven build's log (read from standard input) into one line per module as it
 * starts, the build's time, and the errors alone when it fails. The build runs two
 * modules at a time ({@code .mvn/maven.config}), so a module's own time is not the gap to
 * the next one's start and is not shown. The {@code switchboard} script runs it as a
 * single-file program ({@code java BuildProgress.java}) while it builds, before any jar
 * exists, so it uses nothing but the JDK.
 */
public final class BuildProgress {

	private static final Pattern MODULE = Pattern.compile("^\\[INFO\\] Building (.+?) \\S+\\s+\\[(\\d+)/(\\d+)\\]$");

	private BuildProgress() {
	}

	public static void main(String[] args) throws Exception {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		List<String> errors = new ArrayList<>();
		long started = System.nanoTime();
		boolean failed = false;
		for (String line; (line = in.readLine()) != null;) {
			Matcher building = MODULE.matcher(line.strip());
			if (building.matches()) {
				System.out.printf("  [%2s/%s] %s%n", building.group(2), building.group(3), building.group(1));
				System.out.flush();
			}
			else if (line.startsWith("[ERROR]")) {
				errors.add(line);
			}
			else if (line.contains("BUILD FAILURE")) {
				failed = true;
			}
		}
		if (failed || !errors.isEmpty()) {
			errors.stream().limit(40).forEach(System.err::println);
			System.exit(1);
		}
		System.out.printf("  built in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
	}

}
