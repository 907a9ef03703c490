package dev.switchboard.launcher.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.DurationConverter;

/**
 * {@code switchboard bench}: what an order costs against its floor, and the
 * throughput-latency curve.
 */
@Command(name = "bench", subcommands = { HopsCommand.class, AcksCommand.class, ChainCommand.class },
		mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = { "Against the platform running on --data-dir (./switchboard up): prints the idle cost, the "
				+ "floor, the work counted per order, the marginal CPU per order, the overhead ratio and the "
				+ "throughput-latency curve, and writes them with two charts (SVG) to --out." })
public final class BenchCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--rates", paramLabel = "R1,R2,...", split = ",", defaultValue = "10,20,40",
			description = "order rates to load, orders/s (default ${DEFAULT-VALUE})")
	double[] rates;

	@Option(names = "--duration", paramLabel = "D", defaultValue = "30s", converter = DurationConverter.class,
			description = "how long each rate is sent (default ${DEFAULT-VALUE})")
	Duration duration;

	@Option(names = "--runs", paramLabel = "N", defaultValue = "3",
			description = "how many times the rates are run, for the spread (default ${DEFAULT-VALUE}; 0: the floor only)")
	int runs;

	@Option(names = "--warmup", paramLabel = "D", defaultValue = "60s", converter = DurationConverter.class,
			description = "load at the first rate before measuring (default ${DEFAULT-VALUE}; 0 for none)")
	Duration warmup;

	@Option(names = "--idle", paramLabel = "D", defaultValue = "20s", converter = DurationConverter.class,
			description = "how long the idle platform is measured (default ${DEFAULT-VALUE})")
	Duration idle;

	@Option(names = "--floor-scale", paramLabel = "N", defaultValue = "100",
			description = "repetitions of each floor unit, in hundreds (default ${DEFAULT-VALUE})")
	int floorScale;

	@Mixin
	DataDirOption dataDir;

	@Mixin
	OrdersOptions orders;

	@Option(names = "--out", paramLabel = "DIR",
			description = "where the report and charts go (default DIR/bench/<date-time>)")
	Path out;

	@Override
	public Integer call() throws Exception {
		double[] sorted = Arrays.stream(this.rates).sorted().toArray();
		if (sorted.length == 0 || sorted[0] <= 0 || this.runs < 0 || this.floorScale < 1 || this.idle.isZero()) {
			throw new IllegalArgumentException(
					"--rates must be positive, --runs at least 0, --floor-scale at least 1, --idle above 0");
		}
		return Bench.run(this.dataDir.path(), this.orders.gatewayUrl(),
				this.orders.tokens(this.dataDir.path().resolve("run")), this.orders.skus(), sorted, this.duration,
				this.runs, this.warmup, this.idle, this.floorScale, this.out, this.orders.record,
				this.spec.commandLine().getParseResult().originalArgs(), System.out);
	}

}
