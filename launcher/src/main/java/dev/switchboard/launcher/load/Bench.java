package dev.switchboard.launcher.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.OrderDatabase;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.platform.ServiceSpec;

/**
 * {@code switchboard bench}: what an order costs on this machine, against what its work
 * would cost at the least.
 *
 * <ol>
 * <li>Idle: the CPU of every process of the platform with nothing to do.</li>
 * <li>The floor ({@link Floor}): the cost of each unit of work an order does (a commit, a
 * Kafka delivery, a gRPC call, an HTTP request, an email), measured against the
 * platform's own servers.</li>
 * <li>Load at several rates, several times: CPU of each process while the orders are
 * sent, the platform's own counts of the work done ({@link PlatformCounters}) per order,
 * and acceptance and completion latency.</li>
 * <li>The marginal CPU per order (the slope of CPU against the rate, so idle cost does
 * not count), and the overhead ratio: that CPU divided by the floor's price of the work
 * the counts show.</li>
 * </ol>
 */
final class Bench {

	static final String CLIENT = "bench+load";

	static final String LAUNCHER = "launcher";

	/** The embedded Kafka broker's own process. */
	static final String KAFKA = "kafka";

	static final String POSTGRES = "postgres";

	/** PostgreSQL publishes other sessions' statistics when they go idle, within 10 s. */
	private static final Duration STATISTICS_DELAY = Duration.ofSeconds(11);

	/** The Kafka requests that carry records to and from the broker. */
	private static final List<String> DATA_REQUESTS = List.of("Produce", "Fetch", "ShareFetch", "ShareAcknowledge");

	private final Path dataDir;

	private final PlatformRun run;

	private final String gateway;

	private final AccessTokens tokens;

	private final ProcessCpu cpu;

	private final PlatformCounters counters;

	private final PrintStream out;

	private final List<String> skus;

	/** Every order accepted during the bench, for --record. */
	private final List<String> accepted = new ArrayList<>();

	private Bench(Path dataDir, PlatformRun run, String gateway, AccessTokens tokens, List<String> skus,
			PrintStream out) {
		this.tokens = tokens;
		this.dataDir = dataDir;
		this.skus = skus;
		this.run = run;
		this.gateway = gateway;
		this.out = out;
		this.cpu = new ProcessCpu(groups(dataDir, run));
		this.counters = new PlatformCounters(run, dataDir.resolve("run"));
	}

	/**
	 * A load at one rate: what it did, the CPU while sending, the counts over the whole
	 * run.
	 */
	record Measurement(int run, double rate, LoadGenerator.Result result, Map<String, ProcessCpu.Usage> cpu,
			double sendingSeconds, Map<String, Double> counts, double windowSeconds) {

		double achievedRate() {
			return this.result.accepted() / this.sendingSeconds;
		}

		double cores() {
			return this.cpu.values().stream().mapToDouble(ProcessCpu.Usage::total).sum() / this.sendingSeconds;
		}

	}

	/**
	 * Benchmarks the platform running on {@code dir}; the report and charts go to
	 * {@code outDir}, or {@code dir/bench/<date-time>}.
	 * @param args the command line, to print at the top of the report
	 */
	static int run(Path dir, String gateway, AccessTokens tokens, List<String> skus, double[] rates, Duration duration,
			int runs, Duration warmup, Duration idle, int floorScale, Path outDir, Path record, List<String> args,
			PrintStream console) throws Exception {
		PlatformRun run = PlatformRun.read(dir.resolve("run"))
			.orElseThrow(() -> new IllegalStateException(
					"no running platform on " + dir + ": start one with ./switchboard up --data-dir " + dir));
		Path out = (outDir != null) ? outDir : dir.resolve("bench")
			.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		Files.createDirectories(out);
		ByteArrayOutputStream transcript = new ByteArrayOutputStream();
		PrintStream both = new PrintStream(new Tee(console, transcript), true, StandardCharsets.UTF_8);
		Bench bench = new Bench(dir, run, gateway, tokens,
				skus.isEmpty() ? LoadGenerator.defaultSkus() : List.copyOf(skus), both);
		try {
			bench.benchmark(rates, duration, runs, warmup, idle, floorScale, out, args);
		}
		finally {
			bench.counters.close();
			if (record != null) {
				Files.write(record, bench.accepted);
			}
			// The charts exist only when loads ran (not with --runs 0, nor after a failed
			// run).
			String charts = Files.exists(out.resolve("latency.svg"))
					? "\n![throughput and latency](latency.svg)\n\n![CPU per order](cpu.svg)\n" : "";
			Files.writeString(out.resolve("report.md"), "# switchboard bench\n\n```\n" + transcript + "```\n" + charts);
		}
		console.printf("report: %s%n", out.resolve("report.md"));
		return 0;
	}

	private void benchmark(double[] rates, Duration duration, int runs, Duration warmup, Duration idle, int floorScale,
			Path outDir, List<String> args) throws Exception {
		this.out.printf("switchboard %s%n", String.join(" ", args));
		this.out.printf("machine: %s%n", MachineFacts.describe());
		this.out.printf("edges: %s%n", PlatformRun.edges(this.dataDir.resolve("run")));
		if (this.run.postgresData().isEmpty()) {
			this.out.println("PostgreSQL is external: its CPU is not measured here");
		}
		if (!this.counters.brokerMetrics()) {
			this.out.println(
					"the embedded broker's JVM cannot be attached to (or Kafka is external): Kafka broker counts are missing");
		}
		if (!warmup.isZero() && runs > 0) {
			this.out.printf("%nwarm-up: %.0f orders/s for %s%n", rates[0], warmup);
			LoadGenerator.Result result = newLoad().load(rates[0], warmup, this.out, false);
			this.accepted.addAll(result.acceptedIds());
			this.out.printf("  accepted %d of %d, completed %d%n", result.accepted(), result.sent(),
					result.completed());
		}

		this.out.printf("%nidle for %s...%n", idle);
		// What sessions did before (the warm-up) reaches PostgreSQL's statistics only
		// when they publish them; let that happen before the idle window opens.
		Thread.sleep(STATISTICS_DELAY);
		Map<String, Double> counts0 = this.counters.read();
		Map<String, Double> statements0 = this.counters.statementCalls();
		Map<String, ProcessCpu.Usage> cpu0 = this.cpu.read();
		long idleStart = System.nanoTime();
		Thread.sleep(idle); // measuring what the platform does when nobody asks anything
		double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
		Map<String, Double> idleStatements = PlatformCounters.difference(this.counters.statementCalls(), statements0);
		Map<String, ProcessCpu.Usage> idleCpu = ProcessCpu.difference(this.cpu.read(), cpu0);
		Map<String, Double> idleCounts = PlatformCounters.difference(this.counters.read(), counts0);
		Map<String, ProcessCpu.Usage> idleCores = new LinkedHashMap<>();
		idleCpu.forEach((group, usage) -> idleCores.put(group, usage.times(1 / idleSeconds)));
		Map<String, Double> idleRates = new LinkedHashMap<>();
		idleCounts.forEach((name, value) -> idleRates.put(name, value / idleSeconds));
		double idleTotal = idleCores.entrySet()
			.stream()
			.filter((e) -> !e.getKey().equals(CLIENT))
			.mapToDouble((e) -> e.getValue().total())
			.sum();
		this.out.printf("idle platform: %.3f cores  (%s)%n", idleTotal, perGroup(idleCores, (u) -> u.total(), "%.3f"));
		this.out.printf("  without the JIT compiler threads (still warming up): %.3f cores%n",
				idleTotal - idleCores.getOrDefault(ProcessCpu.JIT, ProcessCpu.Usage.ZERO).total());
		this.out.printf("idle work per second: %.1f commits, %.1f Kafka requests%n",
				idleRates.getOrDefault("pg.commits", 0.0), idleRates.getOrDefault("kafka.requests", 0.0));
		idleStatements.entrySet()
			.stream()
			.filter((e) -> e.getValue() / idleSeconds >= 0.2)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.limit(10)
			.forEach((e) -> this.out.printf(Locale.ROOT, "  %6.2f/s  %s%n", e.getValue() / idleSeconds,
					shorten(e.getKey())));
		idleRates.entrySet()
			.stream()
			.filter((e) -> e.getKey().startsWith("kafka.requests.") && e.getValue() >= 0.2)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.forEach((e) -> this.out.printf(Locale.ROOT, "  %6.2f/s  Kafka %s%n", e.getValue(),
					e.getKey().substring("kafka.requests.".length())));

		this.out.printf("%nfloor (each unit repeated, one at a time, after a warm-up; CPU of client and server)%n");
		this.out.printf("  %-22s %10s %10s %10s %10s  %s%n", "unit", "CPU µs", "client", "server", "wall µs", "what");
		List<Floor.Unit> floor = new Floor(this.run, this.dataDir, this.cpu, idleCores, floorScale)
			.measureAll((unit) -> this.out.printf(Locale.ROOT, "  %-22s %10.1f %10.1f %10.1f %10.1f  %s%n", unit.name(),
					unit.cpuPerUnit() * 1e6, unit.client().total() / unit.count() * 1e6,
					unit.server().total() / unit.count() * 1e6, unit.wallPerUnit() * 1e6, unit.description()));

		if (runs == 0) {
			return;
		}
		List<Measurement> measurements = new ArrayList<>();
		Map<String, Double> statementsBefore = this.counters.statementCalls();
		long loadStart = System.nanoTime();
		this.out.printf("%nload: rates %s orders/s, %s each, %d runs%n", Arrays.toString(rates), duration, runs);
		this.out.printf("  %3s %6s %6s %6s %5s %6s %6s %9s %9s %9s %9s %7s%n", "run", "rate", "sent", "accept", "shed",
				"done", "cancel", "acc p50", "acc p99", "end p50", "end p99", "cores");
		for (int r = 1; r <= runs; r++) {
			for (double rate : rates) {
				Measurement m = measure(r, rate, duration);
				measurements.add(m);
				LoadGenerator.Result result = m.result();
				this.out.printf(Locale.ROOT, "  %3d %6.0f %6d %6d %5d %6d %6d %9s %9s %9s %9s %7.3f%n", r, rate,
						result.sent(), result.accepted(), result.shed(), result.completed(), result.cancelled(),
						millis(result.acceptance(), 50), millis(result.acceptance(), 99),
						millis(result.completion(), 50), millis(result.completion(), 99), m.cores());
				if (!result.ok()) {
					this.out.printf("      not clean: failed %d %s, not terminal %d%n", result.failed(),
							result.failures(), result.notTerminal());
				}
			}
		}

		double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
		Map<String, Double> statements = PlatformCounters.difference(this.counters.statementCalls(), statementsBefore);
		Map<String, Double> perOrder = perOrder(measurements, idleRates);
		this.out.printf("%nwork per order (the platform's own counts, idle work taken out, over all %d loads)%n",
				measurements.size());
		PlatformCounters.labels().forEach((name, label) -> {
			if (perOrder.containsKey(name)) {
				this.out.printf(Locale.ROOT, "  %8.2f  %s%n", perOrder.get(name), label);
			}
		});

		long orders = Math.max(1, measurements.stream().mapToLong((m) -> m.result().accepted()).sum());
		List<Map.Entry<String, Double>> topStatements = statements.entrySet()
			.stream()
			.map((e) -> Map.entry(e.getKey(),
					(e.getValue() - idleStatements.getOrDefault(e.getKey(), 0.0) / idleSeconds * loadSeconds) / orders))
			.filter((e) -> e.getValue() >= 0.05)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.toList();
		if (!topStatements.isEmpty()) {
			this.out.printf("%nSQL statements per order, by service and text (pg_stat_statements, idle taken out)%n");
			topStatements.stream()
				.limit(40)
				.forEach((e) -> this.out.printf(Locale.ROOT, "  %6.2f  %s%n", e.getValue(), shorten(e.getKey())));
		}

		Marginal marginal = marginal(measurements, rates, idleCores, runs);
		this.out.printf(
				"%nmarginal CPU per order (slope of CPU over the accepted rate, per run): %.2f ms"
						+ " (runs: %s; user %.2f ms, system %.2f ms)%n",
				marginal.median() * 1e3, marginal.runsText(), marginal.user() * 1e3, marginal.system() * 1e3);
		this.out.printf("  by process (ms per order, user + system; jit: every JVM's JIT compiler threads): %s%n",
				perGroup(marginal.perGroup(), (u) -> u.total() * 1e3, "%.2f"));
		Marginal compiled = marginal(measurements, rates, idleCores, runs, (group) -> !group.equals(ProcessCpu.JIT));
		this.out.printf("  without the JIT compiler threads (warm-up, not work per order): %.2f ms (runs: %s)%n",
				compiled.median() * 1e3, compiled.runsText());

		Map<String, Floor.Unit> units = new LinkedHashMap<>();
		floor.forEach((u) -> units.put(u.name(), u));
		double deliveries = perOrder.getOrDefault("kafka.records.consumed.groups", 0.0)
				+ perOrder.getOrDefault("kafka.records.consumed.share", 0.0);
		Floor.Unit kafka = cheaper(cheaper(units.get("kafka.delivery.linger0"), units.get("kafka.delivery.linger5")),
				units.get("kafka.delivery.linger5.batched"));
		Map<String, Double> priced = new LinkedHashMap<>();
		priced.put("commits × pg.commit",
				perOrder.getOrDefault("pg.commits", 0.0) * units.get("pg.commit").cpuPerUnit());
		priced.put("deliveries × " + kafka.name(), deliveries * kafka.cpuPerUnit());
		priced.put("gRPC calls × grpc.unary",
				perOrder.getOrDefault("grpc.calls", 0.0) * units.get("grpc.unary").cpuPerUnit());
		priced.put("1 order request × http.json", units.get("http.json").cpuPerUnit());
		if (units.containsKey("smtp.send")) {
			priced.put("emails × smtp.send",
					perOrder.getOrDefault("emails", 0.0) * units.get("smtp.send").cpuPerUnit());
		}
		double floorPerOrder = priced.values().stream().mapToDouble(Double::doubleValue).sum();
		this.out.printf("%nfloor per order: %.2f ms%n", floorPerOrder * 1e3);
		priced.forEach((what, cost) -> this.out.printf(Locale.ROOT, "  %8.3f ms  %s%n", cost * 1e3, what));
		this.out.printf(Locale.ROOT, "%noverhead ratio (marginal CPU per order / floor per order): %.1f  (runs: %s)%n",
				marginal.median() / floorPerOrder, marginal.ratioText(floorPerOrder));
		this.out.printf(Locale.ROOT, "  without the JIT compiler threads: %.1f  (runs: %s)%n",
				compiled.median() / floorPerOrder, compiled.ratioText(floorPerOrder));
		printRecordsAlone(perOrder, units, priced, deliveries * kafka.cpuPerUnit(), marginal, compiled);
		printMutualTlsCost(perOrder, units);

		writeCharts(outDir, measurements, rates, marginal, floorPerOrder);
		this.out.printf("%ncharts: %s, %s%n", outDir.resolve("latency.svg"), outDir.resolve("cpu.svg"));
	}

	/**
	 * What mutual TLS costs an order: the CPU it adds to one gRPC call on a bare server
	 * (the same call with and without it, measured in this run), times the gRPC calls an
	 * order makes. Connections are kept open, so their handshakes are paid once per
	 * connection, not per order: shown apart.
	 */
	private void printMutualTlsCost(Map<String, Double> perOrder, Map<String, Floor.Unit> units) {
		Floor.Unit plain = units.get("grpc.bare");
		Floor.Unit mutual = units.get("grpc.bare.mtls");
		Floor.Unit connect = units.get("grpc.bare.mtls.connect");
		if (plain == null || mutual == null || connect == null) {
			return;
		}
		double perCall = mutual.cpuPerUnit() - plain.cpuPerUnit();
		double calls = perOrder.getOrDefault("grpc.calls", 0.0);
		this.out.printf(Locale.ROOT,
				"%nmutual TLS on a gRPC hop (bare grpc-java server, this run): %+.1f µs CPU and %+.1f µs wall per call "
						+ "(%.1f against %.1f µs CPU in plain text, ratio %.2f); a new connection with its handshake "
						+ "%.0f µs CPU%n",
				perCall * 1e6, (mutual.wallPerUnit() - plain.wallPerUnit()) * 1e6, mutual.cpuPerUnit() * 1e6,
				plain.cpuPerUnit() * 1e6, mutual.cpuPerUnit() / plain.cpuPerUnit(), connect.cpuPerUnit() * 1e6);
		this.out.printf(Locale.ROOT, "  per order: %.2f gRPC calls × %+.1f µs = %+.3f ms CPU%n", calls, perCall * 1e6,
				calls * perCall * 1e3);
	}

	/**
	 * The floor above prices every Kafka record at what it costs when it shares its
	 * requests with many others. At low rates nearly every record travels alone, one
	 * produce and one fetch request each: this prices the data requests the broker
	 * actually served at half of {@code kafka.delivery.linger0} (a lone record's produce
	 * plus its fetch), to show how much of the ratio is that, which only batching (more
	 * orders a second, or a linger paid in latency) takes away.
	 */
	private void printRecordsAlone(Map<String, Double> perOrder, Map<String, Floor.Unit> units,
			Map<String, Double> priced, double kafkaPriced, Marginal marginal, Marginal compiled) {
		Floor.Unit alone = units.get("kafka.delivery.linger0");
		if (alone == null) {
			return;
		}
		double requests = DATA_REQUESTS.stream()
			.mapToDouble((kind) -> perOrder.getOrDefault("kafka.requests." + kind, 0.0))
			.sum();
		double floor = priced.values().stream().mapToDouble(Double::doubleValue).sum() - kafkaPriced
				+ requests * alone.cpuPerUnit() / 2;
		this.out.printf(Locale.ROOT,
				"  with each Kafka data request priced as one carrying a single record (%.2f %s requests per order"
						+ " × kafka.delivery.linger0 / 2): floor %.2f ms, ratio %.1f, without the JIT %.1f%n",
				requests, String.join(", ", DATA_REQUESTS), floor * 1e3, marginal.median() / floor,
				compiled.median() / floor);
	}

	private LoadGenerator newLoad() {
		return new LoadGenerator(this.gateway, this.tokens, this.skus, OrderDatabase.of(this.dataDir.resolve("run")));
	}

	private Measurement measure(int run, double rate, Duration duration) throws InterruptedException {
		Map<String, Double> counts0 = this.counters.read();
		long start = System.nanoTime();
		Map<String, ProcessCpu.Usage> cpu0 = this.cpu.read();
		AtomicReference<Map<String, ProcessCpu.Usage>> cpuSent = new AtomicReference<>();
		long[] sentAt = new long[1];
		LoadGenerator.Result result = newLoad().load(rate, duration, this.out, false, () -> {
			cpuSent.set(this.cpu.read());
			sentAt[0] = System.nanoTime();
		});
		this.accepted.addAll(result.acceptedIds());
		// Until every session's statistics of this run are published.
		Thread.sleep(STATISTICS_DELAY);
		Map<String, Double> counts = PlatformCounters.difference(this.counters.read(), counts0);
		return new Measurement(run, rate, result, ProcessCpu.difference(cpuSent.get(), cpu0), (sentAt[0] - start) / 1e9,
				counts, (System.nanoTime() - start) / 1e9);
	}

	/** Each counter per accepted order, with the idle rate over each window taken out. */
	private static Map<String, Double> perOrder(List<Measurement> measurements, Map<String, Double> idleRates) {
		Map<String, Double> totals = new LinkedHashMap<>();
		long orders = 0;
		for (Measurement m : measurements) {
			orders += m.result().accepted();
			m.counts()
				.forEach((name, value) -> totals.merge(name,
						value - idleRates.getOrDefault(name, 0.0) * m.windowSeconds(), Double::sum));
		}
		long n = Math.max(orders, 1);
		Map<String, Double> perOrder = new LinkedHashMap<>();
		totals.forEach((name, value) -> perOrder.put(name, Math.max(0, value / n)));
		return perOrder;
	}

	/**
	 * The marginal CPU per order of each run, and per process and user/system over all
	 * runs.
	 */
	record Marginal(double[] perRun, double user, double system, Map<String, ProcessCpu.Usage> perGroup) {

		double median() {
			double[] sorted = this.perRun.clone();
			Arrays.sort(sorted);
			return (sorted.length % 2 == 1) ? sorted[sorted.length / 2]
					: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
		}

		String runsText() {
			return String.join(", ",
					Arrays.stream(this.perRun).mapToObj((v) -> String.format(Locale.ROOT, "%.2f", v * 1e3)).toList())
					+ String.format(Locale.ROOT, "; spread %.2f ms",
							(Arrays.stream(this.perRun).max().orElse(0) - Arrays.stream(this.perRun).min().orElse(0))
									* 1e3);
		}

		String ratioText(double floor) {
			return String.join(", ",
					Arrays.stream(this.perRun).mapToObj((v) -> String.format(Locale.ROOT, "%.1f", v / floor)).toList());
		}

	}

	private Marginal marginal(List<Measurement> measurements, double[] rates, Map<String, ProcessCpu.Usage> idleCores,
			int runs) {
		return marginal(measurements, rates, idleCores, runs, (group) -> true);
	}

	/** The marginal CPU of the groups {@code counted} lets in. */
	private Marginal marginal(List<Measurement> measurements, double[] rates, Map<String, ProcessCpu.Usage> idleCores,
			int runs, java.util.function.Predicate<String> counted) {
		double[] perRun = new double[runs];
		for (int r = 1; r <= runs; r++) {
			int run = r;
			List<Measurement> ofRun = measurements.stream().filter((m) -> m.run() == run).toList();
			perRun[r - 1] = slope(ofRun, idleCores,
					(usage) -> usage.entrySet()
						.stream()
						.filter((e) -> counted.test(e.getKey()))
						.mapToDouble((e) -> e.getValue().total())
						.sum());
		}
		Map<String, ProcessCpu.Usage> perGroup = new LinkedHashMap<>();
		for (String group : this.cpu.names().stream().filter(counted).toList()) {
			double user = slope(measurements, idleCores,
					(usage) -> usage.getOrDefault(group, ProcessCpu.Usage.ZERO).user());
			double system = slope(measurements, idleCores,
					(usage) -> usage.getOrDefault(group, ProcessCpu.Usage.ZERO).system());
			perGroup.put(group, new ProcessCpu.Usage(user, system));
		}
		double user = perGroup.values().stream().mapToDouble(ProcessCpu.Usage::user).sum();
		double system = perGroup.values().stream().mapToDouble(ProcessCpu.Usage::system).sum();
		return new Marginal(perRun, user, system, perGroup);
	}

	/**
	 * The least-squares slope of CPU seconds per second against accepted orders per
	 * second: CPU seconds per order. With loads at one rate only, the idle platform is
	 * the other point.
	 */
	private static double slope(List<Measurement> measurements, Map<String, ProcessCpu.Usage> idleCores,
			Function<Map<String, ProcessCpu.Usage>, Double> value) {
		List<double[]> points = new ArrayList<>();
		for (Measurement m : measurements) {
			points.add(new double[] { m.achievedRate(), value.apply(m.cpu()) / m.sendingSeconds() });
		}
		if (points.stream().mapToDouble((p) -> p[0]).distinct().count() < 2) {
			points.add(new double[] { 0, value.apply(idleCores) });
		}
		return slope(points);
	}

	/** The least-squares slope through {x, y} points; 0 when every x is the same. */
	static double slope(List<double[]> points) {
		double meanX = points.stream().mapToDouble((p) -> p[0]).average().orElse(0);
		double meanY = points.stream().mapToDouble((p) -> p[1]).average().orElse(0);
		double numerator = 0;
		double denominator = 0;
		for (double[] p : points) {
			numerator += (p[0] - meanX) * (p[1] - meanY);
			denominator += (p[0] - meanX) * (p[0] - meanX);
		}
		return (denominator == 0) ? 0 : numerator / denominator;
	}

	private static Floor.Unit cheaper(Floor.Unit a, Floor.Unit b) {
		return (a.cpuPerUnit() <= b.cpuPerUnit()) ? a : b;
	}

	private void writeCharts(Path outDir, List<Measurement> measurements, double[] rates, Marginal marginal,
			double floorPerOrder) throws IOException {
		List<SvgChart.Series> series = new ArrayList<>();
		for (String[] what : List.of(new String[] { "acceptance p50", "a", "50" },
				new String[] { "acceptance p99", "a", "99" }, new String[] { "completion p50", "c", "50" },
				new String[] { "completion p99", "c", "99" })) {
			List<double[]> points = new ArrayList<>();
			for (double rate : rates) {
				List<Measurement> atRate = measurements.stream().filter((m) -> m.rate() == rate).toList();
				double x = atRate.stream().mapToDouble(Measurement::achievedRate).average().orElse(0);
				double y = atRate.stream()
					.mapToDouble((m) -> (what[1].equals("a") ? m.result().acceptance() : m.result().completion())
						.getValueAtPercentile(Double.parseDouble(what[2])) / 1e6)
					.average()
					.orElse(0);
				points.add(new double[] { x, y });
			}
			series.add(new SvgChart.Series(what[0], points));
		}
		Files.writeString(outDir.resolve("latency.svg"),
				SvgChart.lines("Latency against accepted throughput (mean of runs)", "accepted orders/s",
						"latency, ms (log scale)", series));
		List<SvgChart.Bar> bars = new ArrayList<>();
		marginal.perGroup()
			.forEach((group, usage) -> bars
				.add(new SvgChart.Bar(group, new double[] { usage.user() * 1e3, usage.system() * 1e3 })));
		bars.add(new SvgChart.Bar("floor (priced counts)", new double[] { 0, 0, floorPerOrder * 1e3 }));
		Files.writeString(outDir.resolve("cpu.svg"), SvgChart.bars("Marginal CPU per order, by process", "ms per order",
				List.of("user", "system", "floor"), bars));
	}

	private static String shorten(String statement) {
		return (statement.length() > 150) ? statement.substring(0, 150) + "..." : statement;
	}

	private static String millis(org.HdrHistogram.Histogram histogram, double percentile) {
		if (histogram.getTotalCount() == 0) {
			return "-";
		}
		double ms = histogram.getValueAtPercentile(percentile) / 1e6;
		return (ms >= 1000) ? String.format(Locale.ROOT, "%.2fs", ms / 1000) : String.format(Locale.ROOT, "%.1fms", ms);
	}

	private static String perGroup(Map<String, ProcessCpu.Usage> usage, Function<ProcessCpu.Usage, Double> value,
			String format) {
		List<String> parts = new ArrayList<>();
		usage.forEach((group, u) -> parts.add(group + " " + String.format(Locale.ROOT, format, value.apply(u))));
		return String.join(", ", parts);
	}

	/**
	 * The processes whose CPU the bench reads: each service, the launcher, the embedded
	 * broker, PostgreSQL, itself.
	 */
	static List<ProcessCpu.Group> groups(Path dataDir, PlatformRun run) {
		List<ProcessCpu.Group> groups = new ArrayList<>();
		Path runDir = dataDir.resolve("run");
		for (ServiceSpec spec : ServiceSpec.PLATFORM) {
			groups.add(new ProcessCpu.Group(spec.name(), () -> pidIn(RunningServices.pidFile(runDir, spec.name())),
					false));
		}
		groups.add(new ProcessCpu.Group(LAUNCHER, () -> OptionalLong.of(run.launcherPid()), false));
		if (Files.exists(RunningServices.pidFile(runDir, KAFKA))) {
			groups.add(new ProcessCpu.Group(KAFKA, () -> pidIn(RunningServices.pidFile(runDir, KAFKA)), false));
		}
		run.postgresData()
			.ifPresent((data) -> groups
				.add(new ProcessCpu.Group(POSTGRES, () -> pidIn(data.resolve("postmaster.pid")), true)));
		groups.add(new ProcessCpu.Group(CLIENT, () -> OptionalLong.of(ProcessHandle.current().pid()), false));
		return groups;
	}

	/** The pid on the first line of a pid file. */
	static OptionalLong pidIn(Path file) {
		try {
			return OptionalLong.of(Long.parseLong(Files.readAllLines(file).getFirst().strip()));
		}
		catch (IOException | RuntimeException ex) {
			return OptionalLong.empty();
		}
	}

	/** Writes to two streams. */
	static final class Tee extends OutputStream {

		private final OutputStream first;

		private final OutputStream second;

		Tee(OutputStream first, OutputStream second) {
			this.first = first;
			this.second = second;
		}

		@Override
		public void write(int b) throws IOException {
			this.first.write(b);
			this.second.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.first.write(b, off, len);
			this.second.write(b, off, len);
		}

		@Override
		public void flush() throws IOException {
			this.first.flush();
			this.second.flush();
		}

	}

}
