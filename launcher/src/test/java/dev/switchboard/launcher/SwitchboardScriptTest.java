package dev.switchboard.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code switchboard} script runs under macOS's bash 3.2 with {@code set -u}, which
 * no machine here has: it uses no construct newer than bash 3.2, and never expands an
 * array that may be empty without a guard (bash before 4.4 calls an empty array unbound).
 */
class SwitchboardScriptTest {

	private static final Path SCRIPT = Path.of("..", "switchboard");

	private static final List<String> NEWER_THAN_BASH_3_2 = List.of("declare -A", "local -A", "declare -n", "local -n",
			"mapfile", "readarray", "coproc", "&>>", "|&", ",,}", "^^}", "${!", "[[ -v");

	@Test
	void usesNothingNewerThanBash32() throws IOException {
		String script = Files.readString(SCRIPT);
		assertThat(script).startsWith("#!/usr/bin/env bash").contains("set -euo pipefail");
		for (String construct : NEWER_THAN_BASH_3_2) {
			assertThat(script).as("bash 3.2 lacks %s", construct).doesNotContain(construct);
		}
	}

	@Test
	void expandsOnlyArraysThatCannotBeEmptyWithoutAGuard() throws IOException {
		String script = Files.readString(SCRIPT);
		Matcher expansion = Pattern.compile("(?<!\\+)\"\\$\\{(\\w+)\\[@\\]\\}\"").matcher(script);
		int checked = 0;
		while (expansion.find()) {
			String array = expansion.group(1);
			assertThat(script).as("%s is expanded unguarded, so it must start non-empty", array)
				.containsPattern(Pattern.quote(array) + "=\\([^)\\s]");
			assertThat(script).as("%s must not be emptied", array).doesNotContain(array + "=()");
			checked++;
		}
		assertThat(checked).isPositive();
	}

}
