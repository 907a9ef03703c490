package dev.switchboard.launcher.load;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BenchTest {

	@Test
	void statLinesAreReadFromAfterTheCommandNameWhateverItHolds() {
		String line = "4242 (java (main) x) S 17 4242 17 0 -1 4194560 100 0 0 0 250 75 12 3 20 0 40 0 123 456 789";
		assertThat(ProcessCpu.parse(line)).containsExactly(17, 250, 75, 12, 3);
	}

	@Test
	void thisProcessUsesSomeCpuAndItsGroupAddsUp() {
		ProcessCpu cpu = new ProcessCpu(List
			.of(new ProcessCpu.Group("self", () -> java.util.OptionalLong.of(ProcessHandle.current().pid()), false)));
		ProcessCpu.Usage usage = cpu.read().get("self");
		assertThat(usage.total()).isPositive();
		assertThat(usage.user() + usage.system()).isEqualTo(usage.total());
	}

	@Test
	void jitCompilerThreadsAreKnownByTheirCutName() {
		assertThat(ProcessCpu.isCompilerThread("77 (C2 CompilerThre) S 1 1 1 0 -1 0 0 0 0 0 30 2 0 0 20 0")).isTrue();
		assertThat(ProcessCpu.isCompilerThread("78 (C1 CompilerThre) S 1 1 1 0 -1 0 0 0 0 0 3 1 0 0 20 0")).isTrue();
		assertThat(ProcessCpu.isCompilerThread("79 (kafka-producer-) S 1 1 1 0 -1 0 0 0 0 0 3 1 0 0 20 0")).isFalse();
	}

	@Test
	void aJvmsCompilerThreadsAreCountedApartAndNotTwice() throws Exception {
		long pid = ProcessHandle.current().pid();
		ProcessCpu cpu = new ProcessCpu(
				List.of(new ProcessCpu.Group("self", () -> java.util.OptionalLong.of(pid), false)));
		ProcessCpu.Usage whole = new ProcessCpu(List.of()).read().get(ProcessCpu.JIT);
		java.util.Map<String, ProcessCpu.Usage> usage = cpu.read();
		long[] process = ProcessCpu.stat(pid);

		assertThat(cpu.names()).containsExactly("self", ProcessCpu.JIT);
		assertThat(whole.total()).as("no JVM watched, no compiler time").isZero();
		// This JVM has compiled its tests by now, and the two parts add up to the
		// process.
		assertThat(usage.get(ProcessCpu.JIT).total()).isPositive();
		assertThat(usage.get("self").total() + usage.get(ProcessCpu.JIT).total())
			.isCloseTo((process[1] + process[2]) / 100.0, within(0.5));
	}

	@Test
	void marginalCostIsTheSlopeOfCpuOverRateNotCpuOverOrders() {
		// 0.1 cores idle, 5 ms per order: 20/s -> 0.2 cores, 40/s -> 0.3 cores.
		double slope = Bench
			.slope(List.of(new double[] { 20, 0.2 }, new double[] { 40, 0.3 }, new double[] { 60, 0.4 }));
		assertThat(slope).isCloseTo(0.005, within(1e-9));
		assertThat(Bench.slope(List.of(new double[] { 20, 0.2 }, new double[] { 20, 0.3 }))).isZero();
	}

	@Test
	void chartsAreWellFormedSvg() throws Exception {
		String lines = SvgChart.lines("t <&>", "x", "y",
				List.of(new SvgChart.Series("p50", List.of(new double[] { 10, 5 }, new double[] { 20, 50 }))));
		String bars = SvgChart.bars("t", "ms", List.of("user", "system"),
				List.of(new SvgChart.Bar("order", new double[] { 1.5, 0.5 })));
		for (String svg : List.of(lines, bars)) {
			Document document = DocumentBuilderFactory.newInstance()
				.newDocumentBuilder()
				.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
			assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
		}
		assertThat(lines).contains("<path").contains("t &lt;&amp;&gt;");
		assertThat(bars).contains("<rect").contains("order");
	}

}
