package dev.switchboard.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.switchboard.launcher.bulk.ImportCommand;
import dev.switchboard.launcher.chaos.ChaosCommand;
import dev.switchboard.launcher.dlq.DlqCommand;
import dev.switchboard.launcher.fault.FaultCommand;
import dev.switchboard.launcher.logs.LogsCommand;
import dev.switchboard.launcher.load.BenchCommand;
import dev.switchboard.launcher.load.LoadCommand;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.up.KafkaBrokerCommand;
import dev.switchboard.launcher.token.TokenCommand;
import dev.switchboard.launcher.up.UpCommand;

/**
 * The {@code switchboard} command. Exit codes: 0 done, 1 failed (or, for load, chaos and
 * the like, the platform did not hold up), 2 the command line was wrong.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Switchboard.Version.class,
		usageHelpAutoWidth = true, sortOptions = false,
		description = "Runs the Switchboard order platform on this machine and puts it to the test.",
		footer = { "", "Every command takes --help. Exit codes: 0 done, 1 failed, 2 wrong command line.",
				"Shell completion: source <(./switchboard completion)" },
		subcommands = { UpCommand.class, TokenCommand.class, LoadCommand.class, BenchCommand.class, ChaosCommand.class,
				FaultCommand.class, DlqCommand.class, LogsCommand.class, ImportCommand.class,
				KafkaBrokerCommand.class })
public final class Switchboard implements Callable<Integer> {

	/** The command line was wrong: picocli's own code for it. */
	static final int USAGE = CommandLine.ExitCode.USAGE;

	@Spec
	CommandSpec spec;

	public static void main(String[] args) {
		System.exit(commandLine().execute(args));
	}

	/**
	 * The whole command line, with this project's exit codes and error messages: what
	 * {@code main} runs, and what a caller runs in its own JVM (the end-to-end tests).
	 */
	public static CommandLine commandLine() {
		CommandLine commandLine = new CommandLine(new Switchboard());
		commandLine.setDefaultValueProvider(new EnvironmentDefaults(System.getenv()));
		everyCommand(commandLine, (line) -> line.getCommandSpec().versionProvider(new Version()));
		commandLine.setExecutionExceptionHandler((ex, line, parsed) -> {
			PrintWriter err = line.getErr();
			String command = line.getCommandSpec().qualifiedName();
			if (ex instanceof IllegalArgumentException) {
				// A value the parser could not judge (a service that does not exist, a
				// duration that is not one): the command line was wrong.
				err.println(command + ": " + ex.getMessage());
				err.println("(" + command + " --help shows the options)");
				return USAGE;
			}
			err.println(command + ": " + ((ex.getMessage() != null) ? ex.getMessage() : ex.toString()));
			return CommandLine.ExitCode.SOFTWARE;
		});
		return commandLine;
	}

	/**
	 * Runs one command with these arguments, for code that drives a command itself (chaos
	 * drives fault; tests): a wrong argument throws {@link IllegalArgumentException}, a
	 * failure whatever the command throws.
	 */
	public static int run(Callable<Integer> command, List<String> args) throws Exception {
		return run(new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(System.getenv())), args);
	}

	/** {@link #run(Callable, List)} on a command line made ready by the caller. */
	public static int run(CommandLine commandLine, List<String> args) throws Exception {
		try {
			ParseResult parsed = commandLine.parseArgs(args.toArray(String[]::new));
			return new CommandLine.RunLast().execute(parsed);
		}
		catch (ParameterException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
		catch (CommandLine.ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

	private static void everyCommand(CommandLine line, java.util.function.Consumer<CommandLine> action) {
		action.accept(line);
		line.getSubcommands().values().forEach((sub) -> everyCommand(sub, action));
	}

	@Override
	public Integer call() {
		throw new ParameterException(this.spec.commandLine(), "say what to do: " + String.join(", ",
				this.spec.subcommands().keySet().stream().filter((name) -> !name.equals("kafka-broker")).toList()));
	}

	@Command(name = "kill", mixinStandardHelpOptions = true,
			description = {
					"Sends SIGKILL to a service of the platform running on --data-dir; its launcher reports the "
							+ "crash and restarts it. kafka and postgres (the embedded ones) too." })
	int kill(@Mixin ServiceTarget target) throws IOException {
		return target.signal("kill");
	}

	@Command(name = "pause", mixinStandardHelpOptions = true,
			description = { "Freezes a service (SIGSTOP): it holds its connections but answers nothing, like a "
					+ "service stuck in a long GC pause or on a dead host." })
	int pause(@Mixin ServiceTarget target) throws IOException {
		return target.signal("pause");
	}

	@Command(name = "resume", mixinStandardHelpOptions = true, description = "Lets a paused service go on (SIGCONT).")
	int resume(@Mixin ServiceTarget target) throws IOException {
		return target.signal("resume");
	}

	@Command(name = "completion", mixinStandardHelpOptions = true, description = {
			"Prints a bash/zsh completion script for switchboard.", "Use it with: source <(./switchboard completion)" })
	int completion() {
		String script = AutoComplete.bash("switchboard", this.spec.root().commandLine());
		// Completes ./switchboard as well as switchboard on the PATH.
		this.spec.commandLine()
			.getOut()
			.print(script + "\ncomplete -F _complete_switchboard -o default ./switchboard\n");
		this.spec.commandLine().getOut().flush();
		return 0;
	}

	/** {@code --version}: this build's version, and the Java and OS it runs on. */
	static final class Version implements IVersionProvider {

		@Override
		public String[] getVersion() throws IOException {
			String version;
			try (InputStream in = Switchboard.class.getResourceAsStream("/switchboard.version")) {
				version = (in != null) ? new String(in.readAllBytes(), StandardCharsets.UTF_8).strip() : "unknown";
			}
			return new String[] { "switchboard " + version,
					"Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
					System.getProperty("os.name") + " " + System.getProperty("os.arch"),
					"home " + Path.of(System.getProperty("switchboard.home", ".")).toAbsolutePath().normalize() };
		}

	}

	/** The SERVICE of kill, pause and resume, on the platform running on --data-dir. */
	static final class ServiceTarget {

		@Parameters(paramLabel = "SERVICE", completionCandidates = RunningServices.Names.class,
				description = "one of ${COMPLETION-CANDIDATES}")
		String service;

		@Mixin
		DataDirOption dataDir;

		int signal(String command) throws IOException {
			return RunningServices.signal(command, RunningServices.Target.of(this.service, this.dataDir.path(), true),
					System.out);
		}

	}

}
