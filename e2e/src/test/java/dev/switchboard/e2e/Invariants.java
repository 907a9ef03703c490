package dev.switchboard.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.switchboard.launcher.chaos.InvariantChecker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invariants of DESIGN.md ({@link InvariantChecker}, the same checker
 * {@code switchboard
 * chaos} runs), asserted once the platform has settled: over every order the platform
 * has, with the ends this test expects for the orders it placed.
 */
final class Invariants {

	private final InvariantChecker checker;

	private final Duration settle;

	/**
	 * @param dataDir the platform's data directory
	 * @param settle how long the platform may take to settle
	 */
	Invariants(Path dataDir, Duration settle) {
		this.checker = InvariantChecker.forPlatformOn(dataDir);
		this.settle = settle;
	}

	/**
	 * Checks every invariant; these orders must exist and end as given:
	 * {@code COMPLETED}, {@code CANCELLED}, or {@code TERMINAL} when either is right.
	 */
	void assertHold(Map<String, String> expected) throws InterruptedException {
		List<String> violations = this.checker.awaitHold(expected, expected.keySet(), this.settle);
		assertThat(violations).as("invariants violated").isEmpty();
	}

}
