package dev.switchboard.launcher.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.launcher.Switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ChaosCommandTest {

	@Test
	void theFullNemesisKillsEveryPartTwiceKeepsTheDatabaseAwayAMinuteAndTriesEveryKindOfFault() {
		List<Chaos.Fault> faults = Chaos.fullScenario(Duration.ofMinutes(10));

		Map<String, Long> kills = faults.stream()
			.filter((f) -> f.kind() == Chaos.Kind.KILL || f.kind() == Chaos.Kind.KILL_INFRASTRUCTURE)
			.collect(Collectors.groupingBy(Chaos.Fault::target, Collectors.counting()));
		assertThat(kills).containsOnlyKeys("order", "inventory", "payment", "shipping", "notification", "analytics",
				"gateway", "kafka", "postgres");
		assertThat(kills.values()).allSatisfy((times) -> assertThat(times).isGreaterThanOrEqualTo(2));
		assertThat(faults).extracting(Chaos.Fault::kind).contains(Chaos.Kind.values());
		assertThat(faults).filteredOn((f) -> f.kind() == Chaos.Kind.DATABASE_AWAY)
			.allSatisfy((f) -> assertThat(f.lasts()).isGreaterThanOrEqualTo(Duration.ofSeconds(60)));
		assertOneAfterTheOtherWithin(faults, Duration.ofMinutes(10));
	}

	@Test
	void theShortScenarioTriesEveryKindOfFaultOnceWithinItsRun() {
		List<Chaos.Fault> faults = Chaos.shortScenario(Duration.ofSeconds(90));

		assertThat(faults).extracting(Chaos.Fault::kind).contains(Chaos.Kind.values());
		assertOneAfterTheOtherWithin(faults, Duration.ofSeconds(90));
	}

	@Test
	void aLongerRunStretchesTheSchedule() {
		assertThat(Chaos.fullScenario(Duration.ofMinutes(20)).getLast().at())
			.isEqualTo(Chaos.fullScenario(Duration.ofMinutes(10)).getLast().at().multipliedBy(2));
	}

	/**
	 * Each fault ends before the next starts (so each recovery is its own), the last
	 * before the load ends.
	 */
	private static void assertOneAfterTheOtherWithin(List<Chaos.Fault> faults, Duration run) {
		for (int i = 1; i < faults.size(); i++) {
			Chaos.Fault before = faults.get(i - 1);
			assertThat(before.at().plus(before.lasts())).as("%s ends before %s", before, faults.get(i))
				.isLessThanOrEqualTo(faults.get(i).at());
		}
		assertThat(faults.getLast().at().plus(faults.getLast().lasts())).isLessThan(run);
	}

	@Test
	void saysWhatIsWrongWithItsOptionsAndWhereNoPlatformRuns(@TempDir Path dir) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Switchboard.run(new ChaosCommand(),
					List.of("--scenario", "gentle", "--data-dir", dir.toString())))
			.withMessageContaining("--scenario")
			.withMessageContaining("must be full or short");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Switchboard.run(new ChaosCommand(), List.of("--rate", "0", "--data-dir", dir.toString())))
			.withMessageContaining("--rate must be positive");
		assertThatIllegalStateException()
			.isThrownBy(() -> Switchboard.run(new ChaosCommand(), List.of("--data-dir", dir.toString())))
			.withMessageContaining("no platform is running on")
			.withMessageContaining("--delay-proxies on");
	}

}
