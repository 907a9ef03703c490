package dev.switchboard.launcher.logs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@code switchboard logs} over log files as services started by {@code up} write them
 * (Elastic Common Schema JSON, one object a line), with a line of plain text among them.
 */
class LogsCommandTest {

	@TempDir
	Path dataDir;

	@BeforeEach
	void logs() throws Exception {
		Files.createDirectories(this.dataDir.resolve("logs"));
		write("gateway", ecs("10:00:00.000", "INFO", "POST /api/v1/orders answered 201", "trace-1", null));
		write("order", "OpenJDK 64-Bit Server VM warning: a line that is not JSON",
				ecs("10:00:00.010", "INFO", "Order o-1 placed: its saga begins", "trace-1", null),
				ecs("10:00:00.500", "INFO", "Order o-2 placed: its saga begins", "trace-2", null),
				ecs("10:00:01.000", "WARN", "Charge refused", "trace-3", "o-1"));
		write("payment", ecs("10:00:00.200", "INFO", "payment handles a command", "trace-3", "o-1"));
	}

	@Test
	void mergesEveryServicesLogInTimeOrderOneReadableLineEach() throws Exception {
		List<String> lines = run();

		assertThat(lines).hasSize(6);
		assertThat(lines.getFirst()).contains("order").contains("not JSON");
		assertThat(lines.subList(1, 6)).extracting((line) -> line.replaceAll("^\\S+ ", ""))
			.containsExactly("gateway      INFO  POST /api/v1/orders answered 201  trace=trace-1",
					"order        INFO  Order o-1 placed: its saga begins  trace=trace-1",
					"payment      INFO  payment handles a command  trace=trace-3",
					"order        INFO  Order o-2 placed: its saga begins  trace=trace-2",
					"order        WARN  Charge refused  trace=trace-3");
	}

	@Test
	void anOrdersLinesAreThoseNamingItAndTheRestOfTheirTraces() throws Exception {
		assertThat(run("--order", "o-1")).extracting((line) -> line.replaceAll("^\\S+ ", ""))
			.containsExactly("gateway      INFO  POST /api/v1/orders answered 201  trace=trace-1",
					"order        INFO  Order o-1 placed: its saga begins  trace=trace-1",
					"payment      INFO  payment handles a command  trace=trace-3",
					"order        WARN  Charge refused  trace=trace-3");
		assertThat(run("payment", "--json"))
			.containsExactly(ecs("10:00:00.200", "INFO", "payment handles a command", "trace-3", "o-1"));
	}

	@Test
	void followPrintsLinesWrittenAfterItStarted() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		Thread following = Thread.ofVirtual().start(() -> {
			try {
				LogsCommand.run(List.of("order", "--follow", "--order", "o-3", "--data-dir", this.dataDir.toString()),
						out);
			}
			catch (Exception ex) {
				out.println("failed: " + ex);
			}
		});
		try {
			append("order", ecs("10:00:02.000", "INFO", "Order o-3 placed", "trace-4", null).substring(0, 20));
			append("order", ecs("10:00:02.000", "INFO", "Order o-3 placed", "trace-4", null).substring(20) + "\n"
					+ ecs("10:00:02.100", "INFO", "Order o-4 placed", "trace-5", null) + "\n");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Order o-3 placed"));
			assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("o-4", "failed");
		}
		finally {
			following.interrupt();
			following.join(Duration.ofSeconds(10));
		}
		assertThat(following.isAlive()).isFalse();
	}

	@Test
	void saysWhichLogsThereAreWhenTheServiceOrTheLogsAreUnknown(@TempDir Path empty) {
		assertThatIllegalArgumentException().isThrownBy(() -> run("billing"))
			.withMessageContaining("No service named billing")
			.withMessageContaining("gateway");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LogsCommand.run(List.of("--data-dir", empty.toString()), System.out))
			.withMessageContaining("No logs in " + empty.resolve("logs"));
	}

	private List<String> run(String... arguments) throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		List<String> args = new java.util.ArrayList<>(List.of(arguments));
		args.addAll(List.of("--data-dir", this.dataDir.toString()));
		LogsCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
		return bytes.toString(StandardCharsets.UTF_8).lines().toList();
	}

	private static String ecs(String time, String level, String message, String traceId, String orderId) {
		return "{\"@timestamp\":\"2026-12-02T" + time + "Z\",\"log\":{\"level\":\"" + level
				+ "\",\"logger\":\"x\"},\"service\":{\"name\":\"s\"},\"message\":\"" + message + "\",\"traceId\":\""
				+ traceId + "\",\"spanId\":\"s\"" + ((orderId != null) ? ",\"orderId\":\"" + orderId + "\"" : "")
				+ ",\"ecs\":{\"version\":\"8.11\"}}";
	}

	private void write(String service, String... lines) throws Exception {
		Files.writeString(this.dataDir.resolve("logs/" + service + ".log"), String.join("\n", lines) + "\n",
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	private void append(String service, String text) throws Exception {
		Files.writeString(this.dataDir.resolve("logs/" + service + ".log"), text, StandardOpenOption.APPEND);
	}

}
