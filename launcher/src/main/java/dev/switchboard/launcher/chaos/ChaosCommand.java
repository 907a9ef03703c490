package dev.switchboard.launcher.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.DurationConverter;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.RunningServices;

/** {@code switchboard chaos}: see {@link Chaos}. */
@Command(name = "chaos", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = { "Loads the platform running on --data-dir while a nemesis breaks every part of it in turn, "
				+ "then checks every invariant over every order. Start the platform with --delay-proxies on, or the "
				+ "network faults are skipped.", "Exits 0 when every invariant held, 1 when one did not." })
public final class ChaosCommand implements Callable<Integer> {

	enum Scenario {

		/**
		 * Every service killed twice, Kafka and PostgreSQL too, the database away 60 s,
		 * and the rest.
		 */
		FULL,

		/** One fault of each kind, briefer. */
		SHORT;

	}

	@Option(names = "--rate", paramLabel = "R", defaultValue = "10",
			description = "orders per second while the nemesis runs (default ${DEFAULT-VALUE})")
	double rate;

	@Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
			description = "how long the load and the nemesis run (default 10m for full, 90s for short); the "
					+ "schedule stretches or shrinks to fit")
	Duration duration;

	@Option(names = "--scenario", paramLabel = "full|short", defaultValue = "full", converter = ScenarioConverter.class,
			description = "full: every service killed twice, Kafka and PostgreSQL killed twice, the database away "
					+ "60 s, pauses, slow and failing calls, duplicated and reordered deliveries, a slow network; "
					+ "short: one of each, briefer (default ${DEFAULT-VALUE})")
	Scenario scenario;

	@Option(names = "--settle", paramLabel = "D", defaultValue = "7m", converter = DurationConverter.class,
			description = "how long the platform may take to settle before the invariants must hold (default "
					+ "${DEFAULT-VALUE}: longer than a reservation no order claimed is kept, 5 min, plus the sweep's "
					+ "1 min interval)")
	Duration settle;

	@Mixin
	DataDirOption dataDir;

	@Option(names = "--gateway", paramLabel = "URL",
			description = "the platform's gateway (default: the one running on --data-dir)")
	String gateway;

	@Override
	public Integer call() throws Exception {
		if (this.rate <= 0) {
			throw new IllegalArgumentException("--rate must be positive");
		}
		Duration length = (this.duration != null) ? this.duration
				: this.scenario == Scenario.FULL ? Duration.ofMinutes(10) : Duration.ofSeconds(90);
		Path dir = this.dataDir.path();
		if (PlatformRun.read(dir.resolve("run")).isEmpty()) {
			throw new IllegalStateException("no platform is running on " + dir + " (start it with ./switchboard up"
					+ " --data-dir " + dir + " --delay-proxies on)");
		}
		String url = (this.gateway != null) ? this.gateway.replaceAll("/$", "") : "http://127.0.0.1:"
				+ Files.readString(RunningServices.portFile(dir.resolve("run"), "gateway")).strip();
		List<Chaos.Fault> faults = (this.scenario == Scenario.FULL) ? Chaos.fullScenario(length)
				: Chaos.shortScenario(length);
		return new Chaos(dir, url, System.out).run(this.rate, length,
				this.scenario.name().toLowerCase(java.util.Locale.ROOT), faults, this.settle) ? 0 : 1;
	}

	static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Scenario> {

		@Override
		public Scenario convert(String value) {
			return switch (value) {
				case "full" -> Scenario.FULL;
				case "short" -> Scenario.SHORT;
				default ->
					throw new picocli.CommandLine.TypeConversionException("must be full or short, was '" + value + "'");
			};
		}

	}

}
