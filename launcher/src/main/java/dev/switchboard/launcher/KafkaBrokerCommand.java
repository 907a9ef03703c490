package dev.switchboard.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.switchboard.embedded.EmbeddedKafka;

/**
 * {@code switchboard kafka-broker --dir DIR --port P --controller-port C --parent-pid PID}:
 * the embedded Kafka broker as a process of its own, which {@code up} starts and supervises
 * like a service, so that it can be killed and restarted alone ({@code ./switchboard kill
 * kafka}). Not meant to be run by hand. It stops when told to (SIGTERM) and when the
 * launcher that started it is gone.
 */
final class KafkaBrokerCommand {

	private static final Duration PARENT_CHECK = Duration.ofSeconds(1);

	private KafkaBrokerCommand() {
	}

	static void run(List<String> args) throws Exception {
		Path[] dir = { null };
		int[] ports = { 0, 0 };
		long[] parent = { 0 };
		CommandLine.parse(args, "switchboard kafka-broker --dir DIR --port P --controller-port C --parent-pid PID",
				(option, value) -> {
					switch (option) {
						case "--dir" -> dir[0] = Path.of(value);
						case "--port" -> ports[0] = Integer.parseInt(value);
						case "--controller-port" -> ports[1] = Integer.parseInt(value);
						case "--parent-pid" -> parent[0] = Long.parseLong(value);
						default -> throw new IllegalArgumentException("unknown option " + option);
					}
				});
		if (dir[0] == null || ports[0] == 0 || ports[1] == 0) {
			throw new IllegalArgumentException("kafka-broker needs --dir, --port and --controller-port");
		}
		EmbeddedKafka broker = EmbeddedKafka.start(dir[0], ports[0], ports[1]);
		System.out.println("Kafka broker ready at " + broker.bootstrapServers());
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			broker.close();
			stopped.countDown();
		}));
		Optional<ProcessHandle> launcher = (parent[0] > 0) ? ProcessHandle.of(parent[0]) : Optional.empty();
		while (!stopped.await(PARENT_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
			if (launcher.isPresent() && !launcher.get().isAlive()) {
				System.out.println("The launcher is gone; stopping");
				System.exit(0);
			}
		}
	}

}
