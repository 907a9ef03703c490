package dev.switchboard.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads {@code --option value} pairs, the only form the switchboard commands take.
 */
final class CommandLine {

	private CommandLine() {
	}

	/**
	 * Hands each option and its value to {@code apply}, which throws
	 * {@link IllegalArgumentException} for an option it does not know.
	 */
	static void parse(List<String> args, String usage, BiConsumer<String, String> apply) {
		List<String> rest = new ArrayList<>(args);
		while (!rest.isEmpty()) {
			String option = rest.removeFirst();
			if (rest.isEmpty()) {
				throw new IllegalArgumentException("missing value for " + option + "\n" + usage);
			}
			apply.accept(option, rest.removeFirst());
		}
	}

}
