package dev.switchboard.launcher.load;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.DurationConverter;
import dev.switchboard.launcher.platform.OrderDatabase;

/**
 * {@code switchboard load}: orders at a steady rate against a running platform, then what
 * became of them. Exits 1 when an order failed or did not finish (shedding is the
 * platform working as designed under overload; anything else is not).
 */
@Command(name = "load", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = "Places orders at a steady rate (open loop) and reports acceptance and completion latency, "
				+ "shed and failed orders.")
public final class LoadCommand implements Callable<Integer> {

	@Option(names = "--rate", paramLabel = "R", defaultValue = "50",
			description = "orders per second (default ${DEFAULT-VALUE})")
	double rate;

	@Option(names = "--duration", paramLabel = "D", defaultValue = "30s", converter = DurationConverter.class,
			description = "how long to send, e.g. 30s or 2m (default ${DEFAULT-VALUE})")
	Duration duration;

	@Mixin
	DataDirOption dataDir;

	@Mixin
	OrdersOptions orders;

	@Override
	public Integer call() throws InterruptedException, IOException {
		if (this.rate <= 0 || this.duration.isZero()) {
			throw new IllegalArgumentException("--rate and --duration must be positive");
		}
		OrderDatabase database = OrderDatabase.of(this.dataDir.path().resolve("run"));
		if (database == null) {
			System.out.printf("no order database found in %s: completion will be checked through the API, not timed%n",
					this.dataDir.path());
		}
		LoadGenerator generator = new LoadGenerator(this.orders.gatewayUrl(),
				this.orders.tokens(this.dataDir.path().resolve("run")), this.orders.skus(), database);
		LoadGenerator.Result result = generator.load(this.rate, this.duration, System.out, true);
		LoadGenerator.report(System.out, result);
		if (this.orders.record != null) {
			try {
				Files.write(this.orders.record, result.acceptedIds());
			}
			catch (IOException ex) {
				throw new IllegalStateException("could not write " + this.orders.record + ": " + ex.getMessage());
			}
			System.out.printf("accepted order ids written to %s%n", this.orders.record);
		}
		return result.ok() ? 0 : 1;
	}

}
