package dev.switchboard.launcher.load;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.switchboard.launcher.Switchboard;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench acks} against the RabbitMQ of this machine (the one the tests' brokers run
 * on), with no platform: each acknowledgement mode drains its queue.
 */
class AcksCommandTest {

	private static final String RABBITMQ = System.getenv()
		.getOrDefault("SWITCHBOARD_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672");

	@TempDir
	Path dir;

	@Test
	void everyRabbitMqModeDrainsItsQueueAndTheReportSaysWhatWasSkipped() throws Exception {
		assumeRabbitMq();
		Path out = this.dir.resolve("out");
		int exit = new CommandLine(new Switchboard()).execute("bench", "acks", "--data-dir", this.dir.toString(),
				"--messages", "300", "--runs", "2", "--rabbitmq", RABBITMQ, "--out", out.toString());

		assertThat(exit).isZero();
		String report = Files.readString(out.resolve("report.md"));
		for (String mode : new String[] { "auto-ack", "manual ack, each", "manual ack, multiple per 50" }) {
			assertThat(report).containsPattern(
					"\\nRabbitMQ +" + java.util.regex.Pattern.quote(mode) + " +\\d+ \\(\\d+–\\d+\\) +\\d+\\.\\d \\(");
		}
		assertThat(report).contains("the Kafka share group is skipped");
	}

	@Test
	void aFailedHandlingIsLostWithAutoAckAndDeliveredAgainWithAManualAck() throws Exception {
		assumeRabbitMq();
		Path out = this.dir.resolve("out");
		int exit = new CommandLine(new Switchboard()).execute("bench", "acks", "--data-dir", this.dir.toString(),
				"--messages", "300", "--runs", "2", "--error-share", "0.1", "--handling", "0ms", "--rabbitmq", RABBITMQ,
				"--out", out.toString());

		assertThat(exit).isZero();
		int failing = AcksCommand.Handler.plan(300, 0.1).failing();
		assertThat(failing).isBetween(15, 45);
		String report = Files.readString(out.resolve("report.md"));
		assertThat(report).contains("fails " + failing + " of them (10.0%) the first time");
		// messages/s, consumer and broker CPU (each with its runs' range), then lost and
		// delivered again, the same in both runs.
		String measured = " +\\d+ \\(\\d+–\\d+\\) +-?[\\d.]+ \\(-?[\\d.]+–-?[\\d.]+\\) +-?[\\d.]+ \\(-?[\\d.]+–-?[\\d.]+\\) +";
		assertThat(report).containsPattern("\\nRabbitMQ +auto-ack" + measured + failing + " \\(" + failing + "–"
				+ failing + "\\) +0 \\(0–0\\)\\n");
		for (String mode : new String[] { "manual ack, each", "manual ack, multiple per 50" }) {
			assertThat(report).containsPattern("\\nRabbitMQ +" + java.util.regex.Pattern.quote(mode) + measured
					+ "0 \\(0–0\\) +" + failing + " \\(" + failing + "–" + failing + "\\)\\n");
		}
	}

	@Test
	void anUnreachableRabbitMqIsSkippedWithItsReason() throws Exception {
		Path out = this.dir.resolve("out");
		int exit = new CommandLine(new Switchboard()).execute("bench", "acks", "--data-dir", this.dir.toString(),
				"--messages", "10", "--runs", "1", "--rabbitmq", "amqp://guest:guest@127.0.0.1:1", "--out",
				out.toString());

		assertThat(exit).isZero();
		assertThat(Files.readString(out.resolve("report.md"))).contains("not reachable").contains("skipped");
	}

	private static void assumeRabbitMq() {
		URI broker = URI.create(RABBITMQ);
		try (Socket probe = new Socket(broker.getHost(), (broker.getPort() > 0) ? broker.getPort() : 5672)) {
			// A broker answers.
		}
		catch (IOException ex) {
			Assumptions.abort("No RabbitMQ reachable at " + broker.getHost() + ":" + broker.getPort()
					+ " (set SWITCHBOARD_TEST_RABBITMQ to an amqp:// URI)");
		}
	}

}
