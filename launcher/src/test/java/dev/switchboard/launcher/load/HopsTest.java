package dev.switchboard.launcher.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The bare baselines of {@code bench hops} answer what they are sent, each over its own
 * stack, and the figures are put against their baselines.
 */
class HopsTest {

	@org.junit.jupiter.api.io.TempDir
	java.nio.file.Path charts;

	private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

	private final PrintStream out = new PrintStream(this.printed, true, StandardCharsets.UTF_8);

	private final ProcessCpu cpu = new ProcessCpu(
			List.of(new ProcessCpu.Group("self", () -> OptionalLong.of(ProcessHandle.current().pid()), false)));

	@Test
	void everyBareServerEchoesWhatItIsSentAndIsMeasuredAgainstItsBaseline() throws Exception {
		byte[] payload = new byte[3000];
		try (BareServers bare = new BareServers()) {
			List<Hops.Target> targets = List.of(
					new Hops.Target("tcp", "raw", "", payload.length, () -> bare.tcpCaller(payload)),
					new Hops.Target("grpc", "bare", "tcp", payload.length, () -> bare.grpcCaller(payload, false)),
					new Hops.Target("grpc mtls", "bare", "grpc", payload.length, () -> bare.grpcCaller(payload, true)),
					new Hops.Target("tomcat", "bare", "tcp", payload.length,
							Hops.http(URI.create(bare.tomcatUrl(false)), payload, Map.of(), null)),
					new Hops.Target("tomcat mtls", "bare", "tomcat", payload.length,
							Hops.http(URI.create(bare.tomcatUrl(true)), payload, Map.of(), bare.clientTls())),
					new Hops.Target("netty", "bare", "tcp", payload.length,
							Hops.http(URI.create(bare.nettyUrl()), payload, Map.of(), null)));
			List<Hops.Result> results = new Hops(this.cpu, this.out, Duration.ZERO, Duration.ofMillis(300), 2, 2)
				.measure(targets);
			Hops.print(results, 2, this.out);
			Hops.charts(results, this.charts);
			assertThat(this.charts.resolve("latency.svg")).content().startsWith("<svg").contains("tomcat mtls");
			assertThat(this.charts.resolve("layers.svg")).as("no service profiled").doesNotExist();

			assertThat(results).hasSize(6).allSatisfy((result) -> {
				assertThat(result.runs()).hasSize(2);
				assertThat(result.runs()).allSatisfy((run) -> {
					assertThat(run.errors()).isZero();
					assertThat(run.callsPerSecond()).isPositive();
					assertThat(run.p99Millis()).isGreaterThanOrEqualTo(run.p50Millis()).isPositive();
					assertThat(run.cpuMillisPerCall()).containsKey("self");
				});
			});
		}
		String report = this.printed.toString(StandardCharsets.UTF_8);
		assertThat(report).containsPattern("grpc mtls +3000 B")
			.containsPattern("tomcat mtls .* tomcat: p50 \\d+\\.\\d\\dx \\([+-]\\d+\\.\\d{3} ms\\), throughput \\d+%")
			.containsPattern("netty .* tcp: p50 \\d+\\.\\d\\dx")
			.contains("CPU per call, one in flight");
	}

	@Test
	void aTargetWhoseEveryCallFailsIsAnErrorNotAFigure() {
		Hops.Target broken = new Hops.Target("broken", "refuses", "", 0, () -> () -> {
			throw new java.io.IOException("connection refused");
		});
		assertThatIllegalStateException().isThrownBy(
				() -> new Hops(this.cpu, this.out, Duration.ZERO, Duration.ofMillis(50), 1, 1).measure(List.of(broken)))
			.withMessageContaining("broken");
	}

	@Test
	void gzipAndSizesAreReportedInBytes() {
		assertThat(Hops.bytes(64)).isEqualTo("64 B");
		assertThat(Hops.bytes(16384)).isEqualTo("16 KB");
		assertThat(Hops.bytes(-1)).isEqualTo("-");
		byte[] repetitive = "{\"sku\":\"SKU-0001\"}".repeat(50).getBytes(StandardCharsets.UTF_8);
		assertThat(Hops.gzipped(repetitive)).isLessThan(repetitive.length / 5);
	}

}
