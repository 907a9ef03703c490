package dev.switchboard.launcher.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.Switchboard;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.platform.ServiceSpec;

/**
 * {@code switchboard logs [SERVICE] [--order ID] [--follow]}: the logs of the platform on
 * a data directory (each service's JSON lines in {@code DATA_DIR/logs}), merged in time
 * order and printed one line each, or as written with {@code --json}. {@code --order}
 * keeps what concerns one order: the lines that name it and every line of the traces they
 * belong to (so the gateway's request, which knows no order id yet, shows too).
 */
@Command(name = "logs", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = { "Prints the platform's logs, every service's merged in time order (or one service's), "
				+ "optionally only what concerns one order, and follows them with --follow." })
public final class LogsCommand implements Callable<Integer> {

	/** How often {@code --follow} looks for new lines: log files give no signal. */
	static final Duration FOLLOW_INTERVAL = Duration.ofMillis(200);

	@Parameters(arity = "0..1", paramLabel = "SERVICE", completionCandidates = RunningServices.Names.class,
			description = "one service's log (also kafka or zipkin); default every service's")
	String service;

	@Option(names = "--order", paramLabel = "ID",
			description = "only the lines about this order: those naming it and the rest of their traces")
	String order;

	@Option(names = { "-f", "--follow" }, description = "keep printing new lines as they are written, until Ctrl-C")
	boolean follow;

	@Option(names = "--json", description = "print the lines as written (JSON), not formatted")
	boolean json;

	@Mixin
	DataDirOption dataDir;

	private final PrintStream out;

	public LogsCommand() {
		this(System.out);
	}

	public LogsCommand(PrintStream out) {
		this.out = out;
	}

	/** Runs {@code switchboard logs} with these arguments. */
	public static int run(List<String> args, PrintStream out) throws Exception {
		return Switchboard.run(new LogsCommand(out), args);
	}

	@Override
	public Integer call() throws IOException, InterruptedException {
		List<Source> sources = sources();
		Set<String> traces = new HashSet<>();
		if (this.order != null) {
			// First pass: the traces in which a line names the order.
			merge(sources, (line) -> {
				if (line.traceId() != null
						&& (this.order.equals(line.orderId()) || line.message().contains(this.order))) {
					traces.add(line.traceId());
				}
			});
		}
		List<Source> followed = merge(sources, (line) -> print(line, traces));
		while (this.follow && !Thread.currentThread().isInterrupted()) {
			boolean any = false;
			for (Source source : followed) {
				LogLine line;
				while ((line = source.next()) != null) {
					any = true;
					if (this.order != null && line.traceId() != null && this.order.equals(line.orderId())) {
						traces.add(line.traceId());
					}
					print(line, traces);
				}
			}
			if (!any) {
				this.out.flush();
				// Files give no signal when they grow; looking five times a second is
				// what tail -f does too.
				Thread.sleep(FOLLOW_INTERVAL);
			}
		}
		return 0;
	}

	private void print(LogLine line, Set<String> traces) {
		if (this.order == null || line.concerns(this.order, traces)) {
			this.out.println(this.json ? line.raw() : line.readable());
		}
	}

	/** The logs to read: the one named, or every service's that exists. */
	private List<Source> sources() throws IOException {
		Path logs = this.dataDir.path().resolve("logs");
		List<String> names = new ArrayList<>();
		if (this.service != null) {
			List<String> known = new ArrayList<>(ServiceSpec.PLATFORM.stream().map(ServiceSpec::name).toList());
			known.addAll(List.of("kafka", "zipkin"));
			if (!known.contains(this.service)) {
				throw new IllegalArgumentException(
						"No service named " + this.service + "; the platform's logs are " + String.join(", ", known));
			}
			names.add(this.service);
		}
		else {
			ServiceSpec.PLATFORM.forEach((spec) -> names.add(spec.name()));
		}
		List<Source> sources = new ArrayList<>();
		for (String name : names) {
			Path file = logs.resolve(name + ".log");
			if (Files.exists(file)) {
				sources.add(new Source(name, file));
			}
		}
		if (sources.isEmpty()) {
			throw new IllegalArgumentException("No " + (this.service != null ? this.service + " log" : "logs") + " in "
					+ logs + ": has a platform run on this data directory? (--data-dir)");
		}
		return sources;
	}

	/**
	 * Reads every source from its start, handing over lines oldest first; returns them at
	 * their ends, to be followed.
	 */
	private static List<Source> merge(List<Source> files, java.util.function.Consumer<LogLine> each)
			throws IOException {
		List<Source> opened = new ArrayList<>();
		PriorityQueue<Source> heads = new PriorityQueue<>(
				Comparator.comparing((Source source) -> source.head.time()).thenComparing((source) -> source.name));
		for (Source file : files) {
			Source source = file.reopened();
			opened.add(source);
			if (source.advance()) {
				heads.add(source);
			}
		}
		while (!heads.isEmpty()) {
			Source first = heads.poll();
			each.accept(first.head);
			if (first.advance()) {
				heads.add(first);
			}
		}
		return opened;
	}

	/**
	 * One service's log, read line by line; a line still being written (no line end yet)
	 * waits for the next look.
	 */
	private static final class Source {

		private final String name;

		private final Path file;

		private BufferedReader reader;

		private final StringBuilder partial = new StringBuilder();

		private Instant last = Instant.EPOCH;

		private LogLine head;

		Source(String name, Path file) {
			this.name = name;
			this.file = file;
		}

		Source reopened() throws IOException {
			Source source = new Source(this.name, this.file);
			source.reader = Files.newBufferedReader(this.file, StandardCharsets.UTF_8);
			return source;
		}

		/** Reads the next whole line into {@link #head}; whether there was one. */
		boolean advance() throws IOException {
			this.head = next();
			return this.head != null;
		}

		/** The next whole line, or {@code null} when none is complete yet. */
		LogLine next() throws IOException {
			int c;
			while ((c = this.reader.read()) != -1) {
				if (c == '\n') {
					String raw = this.partial.toString();
					this.partial.setLength(0);
					LogLine line = LogLine.parse(this.name, raw, this.last);
					this.last = line.time();
					return line;
				}
				this.partial.append((char) c);
			}
			return null;
		}

	}

}
