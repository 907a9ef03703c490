package dev.switchboard.launcher.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU time of named groups of processes, user and system apart, read from
 * {@code /proc/<pid>/stat} (Linux). Nothing in the JDK reports another process's user and
 * system time separately, hence the few lines of parsing here.
 *
 * <p>
 * A group is one process, or a server and its children (PostgreSQL: the postmaster, every
 * live backend, and what exited backends used, which the postmaster collects as its
 * children's time).
 *
 * <p>
 * The JIT compiler threads of every single-process group (the JVMs) are counted apart, as
 * the group {@value #JIT}, and taken out of their process: minutes after a start they can
 * use more CPU than the work being measured, and that cost is warm-up, not per order.
 * They are found by name in {@code /proc/<pid>/task/<tid>/stat} (HotSpot's "C1/C2
 * CompilerThread<n>", cut to 15 characters there). A compiler thread the JVM retires
 * keeps counting with what it had used when last read.
 */
final class ProcessCpu {

	/**
	 * Clock ticks per second of /proc times: USER_HZ, 100 on every Linux this runs on.
	 */
	private static final double TICKS_PER_SECOND = 100;

	/** CPU seconds of a group: user and system. */
	record Usage(double user, double system) {

		double total() {
			return this.user + this.system;
		}

		Usage minus(Usage earlier) {
			return new Usage(this.user - earlier.user, this.system - earlier.system);
		}

		Usage plus(Usage other) {
			return new Usage(this.user + other.user, this.system + other.system);
		}

		Usage times(double factor) {
			return new Usage(this.user * factor, this.system * factor);
		}

		static final Usage ZERO = new Usage(0, 0);

	}

	/**
	 * A process group to watch: its root pid (looked up again on every read) and whether
	 * children count.
	 */
	record Group(String name, Supplier<OptionalLong> pid, boolean withChildren) {
	}

	/** The group that holds the JIT compiler threads of every JVM watched. */
	static final String JIT = "jit";

	private final List<Group> groups;

	/**
	 * Per process ("group:pid"): each compiler thread's {utime, stime} when last read.
	 */
	private final Map<String, Map<Long, long[]>> compilerThreads = new HashMap<>();

	/**
	 * Per process: ticks of compiler threads that ended or whose id now names another
	 * thread.
	 */
	private final Map<String, long[]> retiredCompilerTicks = new HashMap<>();

	ProcessCpu(List<Group> groups) {
		this.groups = List.copyOf(groups);
	}

	List<String> names() {
		return Stream.concat(this.groups.stream().map(Group::name), Stream.of(JIT)).toList();
	}

	/**
	 * CPU used so far by each group (absent processes count zero), and by the JIT
	 * compilers of all.
	 */
	synchronized Map<String, Usage> read() {
		Map<Long, long[]> table = this.groups.stream().anyMatch(Group::withChildren) ? allProcesses() : Map.of();
		Map<String, Usage> usage = new LinkedHashMap<>();
		for (Group group : this.groups) {
			OptionalLong pid = group.pid().get();
			if (pid.isEmpty()) {
				usage.put(group.name(), Usage.ZERO);
				continue;
			}
			long[] root = group.withChildren() ? table.get(pid.getAsLong()) : stat(pid.getAsLong());
			if (root == null) {
				usage.put(group.name(), Usage.ZERO);
				continue;
			}
			long user = root[1] + (group.withChildren() ? root[3] : 0);
			long system = root[2] + (group.withChildren() ? root[4] : 0);
			if (group.withChildren()) {
				for (long[] process : table.values()) {
					if (process[0] == pid.getAsLong()) {
						user += process[1];
						system += process[2];
					}
				}
			}
			else {
				long[] compiling = compilerTicks(group.name() + ":" + pid.getAsLong(), pid.getAsLong());
				user -= compiling[0];
				system -= compiling[1];
			}
			usage.put(group.name(), new Usage(user / TICKS_PER_SECOND, system / TICKS_PER_SECOND));
		}
		long[] jit = new long[2];
		this.compilerThreads.forEach((process, threads) -> {
			threads.values().forEach((ticks) -> add(jit, ticks));
			add(jit, this.retiredCompilerTicks.get(process));
		});
		usage.put(JIT, new Usage(jit[0] / TICKS_PER_SECOND, jit[1] / TICKS_PER_SECOND));
		return usage;
	}

	/**
	 * {utime, stime} of one process's compiler threads so far, as far as they have been
	 * seen.
	 */
	private long[] compilerTicks(String process, long pid) {
		Map<Long, long[]> seen = this.compilerThreads.computeIfAbsent(process, (p) -> new HashMap<>());
		long[] retired = this.retiredCompilerTicks.computeIfAbsent(process, (p) -> new long[2]);
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			tasks.forEach((task) -> {
				String line;
				try {
					line = Files.readString(task.resolve("stat"));
				}
				catch (IOException ex) {
					return; // the thread ended meanwhile
				}
				if (!isCompilerThread(line)) {
					return;
				}
				long[] fields = parse(line);
				long[] now = { fields[1], fields[2] };
				long[] before = seen.put(Long.parseLong(task.getFileName().toString()), now);
				if (before != null && (now[0] < before[0] || now[1] < before[1])) {
					add(retired, before);
				}
			});
		}
		catch (IOException ex) {
			// The process ended: what its threads had stays counted.
		}
		long[] total = retired.clone();
		seen.values().forEach((ticks) -> add(total, ticks));
		return total;
	}

	/** Whether a task's stat line is a HotSpot JIT compiler thread's. */
	static boolean isCompilerThread(String statLine) {
		String name = statLine.substring(statLine.indexOf('(') + 1, statLine.lastIndexOf(')'));
		return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
	}

	private static void add(long[] sum, long[] ticks) {
		if (ticks != null) {
			sum[0] += ticks[0];
			sum[1] += ticks[1];
		}
	}

	static Map<String, Usage> difference(Map<String, Usage> later, Map<String, Usage> earlier) {
		Map<String, Usage> difference = new LinkedHashMap<>();
		later.forEach((name, usage) -> {
			Usage used = usage.minus(earlier.getOrDefault(name, Usage.ZERO));
			// A process's ticks and its compiler threads' are read a moment apart: over a
			// short interval the process less its compilers can come out a tick below
			// zero, which is no CPU at all.
			difference.put(name, new Usage(Math.max(0, used.user()), Math.max(0, used.system())));
		});
		return difference;
	}

	private static Map<Long, long[]> allProcesses() {
		Map<Long, long[]> table = new LinkedHashMap<>();
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			entries.map((p) -> p.getFileName().toString())
				.filter((name) -> name.chars().allMatch(Character::isDigit))
				.forEach((name) -> {
					long[] stat = stat(Long.parseLong(name));
					if (stat != null) {
						table.put(Long.parseLong(name), stat);
					}
				});
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read /proc: " + ex.getMessage(), ex);
		}
		return table;
	}

	/**
	 * {ppid, utime, stime, cutime, cstime} in ticks, or {@code null} if the process is
	 * gone.
	 */
	static long[] stat(long pid) {
		String line;
		try {
			line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		}
		catch (IOException ex) {
			return null;
		}
		return parse(line);
	}

	/**
	 * Parses a stat line; the command name may hold spaces and parentheses, so fields
	 * count from its last ')'.
	 */
	static long[] parse(String line) {
		String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
		// After the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt
		// majflt cmajflt utime stime cutime cstime ...
		return new long[] { Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
				Long.parseLong(fields[13]), Long.parseLong(fields[14]) };
	}

}
