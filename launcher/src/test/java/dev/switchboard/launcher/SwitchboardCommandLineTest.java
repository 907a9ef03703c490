package dev.switchboard.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.switchboard.launcher.dlq.DlqCommand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as a user meets it: help on every command, a version, exit code 2 for
 * a wrong command line and 1 for a failure, and a completion script.
 */
class SwitchboardCommandLineTest {

	private final StringWriter out = new StringWriter();

	private final StringWriter err = new StringWriter();

	private int run(String... args) {
		CommandLine commandLine = Switchboard.commandLine();
		commandLine.setOut(new PrintWriter(this.out, true));
		commandLine.setErr(new PrintWriter(this.err, true));
		return commandLine.execute(args);
	}

	@Test
	void everyCommandAndSubcommandAnswersHelp() {
		List<List<String>> commands = new ArrayList<>();
		collect(Switchboard.commandLine(), new ArrayList<>(), commands);
		assertThat(commands).extracting((c) -> String.join(" ", c))
			.contains("up", "load", "bench", "chaos", "kill", "pause", "resume", "fault", "dlq", "dlq list", "dlq show",
					"dlq replay", "dlq purge", "completion");
		for (List<String> command : commands) {
			this.out.getBuffer().setLength(0);
			List<String> args = new ArrayList<>(command);
			args.add("--help");
			assertThat(run(args.toArray(String[]::new))).as(String.join(" ", args)).isZero();
			assertThat(this.out.toString()).as(String.join(" ", args)).startsWith("Usage: switchboard");
		}
	}

	private static void collect(CommandLine line, List<String> path, List<List<String>> into) {
		line.getSubcommands().forEach((name, sub) -> {
			List<String> command = new ArrayList<>(path);
			command.add(name);
			into.add(command);
			collect(sub, command, into);
		});
	}

	@Test
	void versionSaysWhatRunsWhere() {
		assertThat(run("--version")).isZero();
		assertThat(this.out.toString()).startsWith("switchboard ").contains("Java ", System.getProperty("os.name"));
		assertThat(this.out.toString().lines().findFirst().orElseThrow()).matches("switchboard \\d+\\.\\d+\\.\\d+.*");
		this.out.getBuffer().setLength(0);
		assertThat(run("dlq", "show", "--version")).isZero();
		assertThat(this.out.toString()).startsWith("switchboard ");
	}

	@Test
	void aWrongCommandLineExitsWith2AndSaysWhy() {
		assertThat(run()).isEqualTo(2);
		assertThat(this.err.toString()).contains("say what to do");
		assertThat(run("launch")).isEqualTo(2);
		assertThat(run("up", "--nope")).isEqualTo(2);
		assertThat(this.err.toString()).contains("--nope");
		assertThat(run("load", "--duration", "soon")).isEqualTo(2);
		assertThat(this.err.toString()).contains("500ms, 30s or 2m");
		assertThat(run("kill")).isEqualTo(2);
		assertThat(this.err.toString()).contains("SERVICE");
		assertThat(run("kill", "database")).isEqualTo(2);
		assertThat(this.err.toString()).contains("no service named database");
		assertThat(run("dlq", "show")).isEqualTo(2);
		assertThat(run("fault", "order")).isEqualTo(2);
		assertThat(this.err.toString()).contains("say what fault");
	}

	@Test
	void aFailureExitsWith1(@TempDir Path empty) {
		assertThat(run("kill", "order", "--data-dir", empty.toString())).isEqualTo(1);
		assertThat(this.err.toString()).contains("no running order");
		assertThat(run("bench", "--data-dir", empty.toString())).isEqualTo(1);
		assertThat(this.err.toString()).contains("no running platform");
	}

	@Test
	void completionCompletesCommandsAndServiceNames() {
		assertThat(run("completion")).isZero();
		assertThat(this.out.toString()).contains("complete -F", "./switchboard", "dlq", "chaos", "inventory");
	}

	@Test
	void optionsComeFromTheEnvironmentWhereTheCommandLineIsSilent() {
		assertThat(DlqCommand.Request.parse(List.of("list"), Map.of("SWITCHBOARD_DATA_DIR", "/srv/sb")).dataDir())
			.isEqualTo(Path.of("/srv/sb"));
		assertThat(DlqCommand.Request
			.parse(List.of("list", "--data-dir", "/elsewhere"), Map.of("SWITCHBOARD_DATA_DIR", "/srv/sb"))
			.dataDir()).isEqualTo(Path.of("/elsewhere"));
	}

}
