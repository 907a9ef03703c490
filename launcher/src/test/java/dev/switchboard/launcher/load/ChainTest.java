package dev.switchboard.launcher.load;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Chains of bare gRPC hops over loopback: every call crosses each hop, a hop's failure
 * fails the whole call, a hop's late answer makes the whole call late, each as often as
 * independent hops predict. Shares are counted, not timed: the tolerance is the
 * sampling's, several standard deviations wide.
 */
class ChainTest {

	@Test
	void aCleanChainAnswersEveryCall() throws Exception {
		try (Chain chain = Chain.of(3, Chain.Scenario.clean())) {
			Chain.Figures figures = chain.load(200, Duration.ofSeconds(1));

			assertThat(figures.calls()).isEqualTo(200);
			assertThat(figures.failedShare()).isZero();
			assertThat(figures.p50Millis()).isPositive().isLessThanOrEqualTo(figures.p99Millis());
		}
	}

	@Test
	void aFailureAnywhereFailsTheCallAsOftenAsIndependentHopsPredict() throws Exception {
		Chain.Scenario failing = Chain.Scenario.failing(0.5);
		try (Chain chain = Chain.of(3, failing)) {
			Chain.Figures figures = chain.load(400, Duration.ofSeconds(1));

			assertThat(failing.predicted(3)).isEqualTo(0.875);
			assertThat(figures.failedShare()).isCloseTo(0.875, within(0.08));
		}
	}

	@Test
	void aLateHopMakesTheCallLateAsOftenAsIndependentHopsPredict() throws Exception {
		Chain.Scenario slow = Chain.Scenario.slow(0.5, Duration.ofMillis(20));
		try (Chain chain = Chain.of(2, slow)) {
			Chain.Figures figures = chain.load(400, Duration.ofSeconds(1));

			assertThat(figures.failedShare()).isZero();
			assertThat(figures.slowShare()).isCloseTo(0.75, within(0.1));
			assertThat(figures.p95Millis()).isGreaterThanOrEqualTo(20);
		}
	}

	@Test
	void overRestAFailureAnywhereFailsTheCallAndALateHopMakesItLate() throws Exception {
		try (Chain chain = Chain.of(3, Chain.Scenario.failing(0.5), Chain.Transport.REST)) {
			assertThat(chain.load(400, Duration.ofSeconds(1)).failedShare()).isCloseTo(0.875, within(0.08));
		}
		try (Chain chain = Chain.of(2, Chain.Scenario.slow(0.5, Duration.ofMillis(20)), Chain.Transport.REST)) {
			Chain.Figures figures = chain.load(400, Duration.ofSeconds(1));

			assertThat(figures.failedShare()).isZero();
			assertThat(figures.slowShare()).isCloseTo(0.75, within(0.1));
		}
	}

	@Test
	void theCommandComparesEachDepthWithTheSumOfItsHopsAndWritesAChart(@TempDir Path out) throws Exception {
		java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
		java.io.PrintStream console = System.out;
		int exit;
		try {
			System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
			exit = new CommandLine(new ChainCommand()).execute("--depths", "1,2", "--rate", "100", "--duration", "1s",
					"--runs", "1", "--warmup", "0", "--out", out.toString());
		}
		finally {
			System.setOut(console);
		}
		String report = printed.toString(java.nio.charset.StandardCharsets.UTF_8);

		assertThat(exit).isZero();
		// Slow: p95 against twice one hop's, the slow share against 1 - 0.98^2.
		assertThat(report).containsPattern("\\n +2 +100 +\\d+\\.\\d{3} .* \\d+\\.\\d\\dx +\\d+\\.\\d\\d% +3\\.96%\\n")
			// Failing: the failed share against 1 - 0.99^2.
			.containsPattern("\\n +2 +100 +\\d+\\.\\d\\d%.* 1\\.99%\\n");
		assertThat(out.resolve("report.md")).content().contains("chain.svg");
		assertThat(out.resolve("chain.svg")).content().startsWith("<svg").contains("N x one hop");
	}

	@Test
	void throughThePlatformTheCommandWantsARunningPlatformARouteLongEnoughAndGrpc(@TempDir Path dir) {
		java.io.StringWriter errors = new java.io.StringWriter();
		CommandLine command = new CommandLine(new ChainCommand()).setErr(new java.io.PrintWriter(errors, true));

		assertThat(command.execute("--platform", "--data-dir", dir.toString(), "--depths", "1")).isNotZero();
		assertThat(errors.toString()).contains("no running platform on").contains("up --lab-relay on");
		assertThat(command.execute("--platform", "--route", "order,inventory", "--depths", "3", "--data-dir",
				dir.toString()))
			.isNotZero();
		assertThat(errors.toString()).contains("--route names 2 services, too few for depth 3");
		assertThat(command.execute("--platform", "--transport", "rest", "--data-dir", dir.toString())).isNotZero();
		assertThat(errors.toString()).contains("--platform chains go over gRPC");
	}

}
