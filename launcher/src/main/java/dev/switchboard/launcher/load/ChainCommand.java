package dev.switchboard.launcher.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.DurationConverter;

/**
 * {@code switchboard bench chain}: how latency and failures compound along a synchronous
 * call chain of 1 to 5 hops, with each hop clean, with a rare slow answer, and with rare
 * failures; measured against what independent hops predict ({@code 1 - (1 - p)^N}).
 */
@Command(name = "chain", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = { "Chains of --depths bare servers (grpc-java, or Tomcat called with a pooled Apache "
				+ "HttpClient: --transport) in this process, over loopback sockets, each "
				+ "calling the next; an open-loop client calls the first at --rate, latency counted from each call's "
				+ "intended start. Three scenarios per depth: clean hops; each hop slow (--slow) for a --slow-share "
				+ "of its calls; each hop failing for an --error-share. Prints p50/p95/p99 against the sum of one "
				+ "hop's, and the share of slow and failed calls against 1-(1-p)^N; writes report.md and chain.svg "
				+ "to --out. Needs no platform, unless --platform: the same through the running platform's services." })
final class ChainCommand implements Callable<Integer> {

	private static final Duration PER_CHAIN_WARMUP = Duration.ofSeconds(1);

	@Spec
	CommandSpec spec;

	@Option(names = "--depths", paramLabel = "N1,N2,...", split = ",", defaultValue = "1,2,3,4,5",
			description = "chain lengths, in hops (default ${DEFAULT-VALUE})")
	int[] depths;

	@Option(names = "--transport", paramLabel = "grpc|rest", defaultValue = "grpc",
			description = "how the hops call each other: grpc (grpc-java) or rest (HTTP/1.1 on Tomcat, a pooled "
					+ "Apache HttpClient) (default ${DEFAULT-VALUE})")
	String transport;

	@Option(names = "--rate", paramLabel = "R", defaultValue = "200",
			description = "calls per second, open loop (default ${DEFAULT-VALUE})")
	int rate;

	@Option(names = "--duration", paramLabel = "D", defaultValue = "10s", converter = DurationConverter.class,
			description = "how long each depth and scenario is measured, per run (default ${DEFAULT-VALUE})")
	Duration duration;

	@Option(names = "--runs", paramLabel = "N", defaultValue = "3",
			description = "runs of each, for the spread (default ${DEFAULT-VALUE})")
	int runs;

	@Option(names = "--warmup", paramLabel = "D", defaultValue = "10s", converter = DurationConverter.class,
			description = "calls before the first measurement, for the JIT, and 1 s more on each chain before its own "
					+ "(default ${DEFAULT-VALUE}; 0 for none)")
	Duration warmup;

	@Option(names = "--slow-share", paramLabel = "P", defaultValue = "0.02",
			description = "share of each hop's calls answered late in the slow scenario (default ${DEFAULT-VALUE})")
	double slowShare;

	@Option(names = "--slow", paramLabel = "D", defaultValue = "20ms", converter = DurationConverter.class,
			description = "how late (default ${DEFAULT-VALUE})")
	Duration slow;

	@Option(names = "--error-share", paramLabel = "P", defaultValue = "0.01",
			description = "share of each hop's calls failed in the error scenario (default ${DEFAULT-VALUE})")
	double errorShare;

	@Option(names = "--platform",
			description = "chain the running platform's own services instead (started with up --lab-relay on): "
					+ "each passes the call on to the next of --route through its edge (deadline, breaker, "
					+ "bulkhead, retry budget), over mutual TLS, traced; the slow and failing hops are the "
					+ "platform's injected faults (switchboard fault), cleared at the end")
	boolean platform;

	@Option(names = "--route", paramLabel = "S1,S2,...", split = ",",
			defaultValue = "order,inventory,payment,analytics,order",
			description = "with --platform, the services a chain of depth N goes through: the first N (default "
					+ "${DEFAULT-VALUE})")
	List<String> route;

	@Mixin
	DataDirOption dataDir;

	@Option(names = "--out", paramLabel = "DIR",
			description = "where the report goes (default ./var/bench/chain-<date-time>)")
	Path out;

	@Override
	public Integer call() throws Exception {
		int[] sorted = Arrays.stream(this.depths).sorted().distinct().toArray();
		if (sorted.length == 0 || sorted[0] < 1 || sorted[sorted.length - 1] > 10 || this.rate < 1 || this.runs < 1
				|| this.duration.isZero() || !(this.slowShare >= 0 && this.slowShare < 1)
				|| !(this.errorShare >= 0 && this.errorShare < 1)) {
			throw new IllegalArgumentException("--depths must be 1 to 10, --rate and --runs at least 1, --duration "
					+ "above 0, --slow-share and --error-share from 0 to below 1");
		}
		if (this.platform && !this.transport.equals("grpc")) {
			throw new IllegalArgumentException(
					"--platform chains go over gRPC, the relays' transport: drop --transport");
		}
		if (this.platform && sorted[sorted.length - 1] > this.route.size()) {
			throw new IllegalArgumentException(
					"--route names " + this.route.size() + " services, too few for depth " + sorted[sorted.length - 1]);
		}
		Chain.Transport hops = Chain.Transport.of(this.transport);
		PlatformChains platformChains = this.platform ? new PlatformChains(this.dataDir.path()) : null;
		if (platformChains != null) {
			platformChains.check(this.route.subList(0, sorted[sorted.length - 1]));
		}
		Path outDir = (this.out != null) ? this.out : Path.of("var", "bench")
			.resolve("chain-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		Files.createDirectories(outDir);
		ByteArrayOutputStream transcript = new ByteArrayOutputStream();
		PrintStream both = new PrintStream(new Bench.Tee(System.out, transcript), true, StandardCharsets.UTF_8);
		both.printf("switchboard %s%n", String.join(" ", this.spec.commandLine().getParseResult().originalArgs()));
		both.printf("machine: %s%n", MachineFacts.describe());
		if (platformChains != null) {
			both.printf(
					"chains through the running platform's services (their relays, gRPC over %s, each hop "
							+ "through the caller's edge), route %s, open loop at %d calls/s, latency from each call's "
							+ "intended start; %d run(s) of %d ms each%n",
					platformChains.secure() ? "mutual TLS" : "plain text",
					String.join(" -> ", this.route.subList(0, sorted[sorted.length - 1])), this.rate, this.runs,
					this.duration.toMillis());
		}
		else {
			both.printf(
					"chains of bare %s hops in this process (plain text, loopback), open loop at %d calls/s, "
							+ "latency from each call's intended start; %d run(s) of %d ms each%n",
					(hops == Chain.Transport.GRPC) ? "grpc-java" : "REST (Tomcat, Apache HttpClient)", this.rate,
					this.runs, this.duration.toMillis());
		}
		List<Chain.Scenario> scenarios = List.of(Chain.Scenario.clean(), Chain.Scenario.slow(this.slowShare, this.slow),
				Chain.Scenario.failing(this.errorShare));
		List<Chain.Result> results = new ArrayList<>();
		try {
			measure(sorted, scenarios, hops, platformChains, results, both);
		}
		finally {
			if (platformChains != null) {
				platformChains.clearFaults(this.route);
			}
		}
		Chain.print(results, both);
		Chain.chart(results, outDir);
		Files.writeString(outDir.resolve("report.md"), "# switchboard bench chain\n\n```\n" + transcript
				+ "```\n\n![p95 by depth against the sum of one hop's](chain.svg)\n");
		System.out.printf("report: %s%n", outDir.resolve("report.md"));
		return 0;
	}

	private void measure(int[] sorted, List<Chain.Scenario> scenarios, Chain.Transport hops,
			PlatformChains platformChains, List<Chain.Result> results, PrintStream both) throws Exception {
		int longest = sorted[sorted.length - 1];
		if (!this.warmup.isZero()) {
			// The JIT first, on the longest chain: every hop's code is the same.
			try (Chain chain = chain(longest, Chain.Scenario.clean(), hops, platformChains)) {
				chain.load(this.rate, this.warmup);
			}
		}
		for (Chain.Scenario scenario : scenarios) {
			both.printf("%n%s:%n", scenario.description());
			if (platformChains != null) {
				// Long enough for every depth's runs; cleared when the next scenario sets
				// its own.
				Duration lasts = this.duration.multipliedBy(this.runs)
					.plus(PER_CHAIN_WARMUP)
					.multipliedBy(sorted.length)
					.plusSeconds(60);
				both.println("  " + platformChains.inject(scenario, this.route.subList(0, longest), lasts));
			}
			for (int depth : sorted) {
				try (Chain chain = chain(depth, scenario, hops, platformChains)) {
					if (!this.warmup.isZero()) {
						// Its own connections and threads, made before it is measured.
						chain.load(this.rate, PER_CHAIN_WARMUP);
					}
					List<Chain.Figures> runs = new ArrayList<>();
					for (int run = 0; run < this.runs; run++) {
						runs.add(chain.load(this.rate, this.duration));
					}
					Chain.Result result = new Chain.Result(scenario, depth, runs);
					results.add(result);
					both.printf("  depth %d  %s%n", depth, result.summary());
				}
			}
		}
	}

	private Chain chain(int depth, Chain.Scenario scenario, Chain.Transport hops, PlatformChains platformChains)
			throws Exception {
		if (platformChains == null) {
			return Chain.of(depth, scenario, hops);
		}
		return Chain.throughPlatform(scenario, platformChains.channel(this.route.getFirst()),
				this.route.subList(1, depth));
	}

}
