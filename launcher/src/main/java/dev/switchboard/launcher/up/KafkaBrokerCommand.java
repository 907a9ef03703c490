package dev.switchboard.launcher.up;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.switchboard.embedded.EmbeddedKafka;

/**
 * {@code switchboard kafka-broker --dir DIR --port P --controller-port C --parent-pid PID}:
 * the embedded Kafka broker as a process of its own, which {@code up} starts and
 * supervises like a service, so that it can be killed and restarted alone
 * ({@code ./switchboard kill
 * kafka}). Not meant to be run by hand. It stops when told to (SIGTERM) and when the
 * launcher that started it is gone.
 */
@Command(name = "kafka-broker", hidden = true, mixinStandardHelpOptions = true,
		description = "The embedded Kafka broker, as up starts it; not meant to be run by hand.")
public final class KafkaBrokerCommand implements Callable<Integer> {

	private static final Duration PARENT_CHECK = Duration.ofSeconds(1);

	@Option(names = "--dir", required = true, paramLabel = "DIR", description = "the broker's data directory")
	Path dir;

	@Option(names = "--port", required = true, paramLabel = "P", description = "the client port")
	int port;

	@Option(names = "--controller-port", required = true, paramLabel = "C", description = "the controller port")
	int controllerPort;

	@Option(names = "--tls-identity", paramLabel = "FILE",
			description = "mutual TLS on every listener: the broker's key and certificate (PEM)")
	Path tlsIdentity;

	@Option(names = "--tls-trust", paramLabel = "FILE",
			description = "the authority whose certificates clients must present (PEM); with --tls-identity")
	Path tlsTrust;

	@Option(names = "--super-user", paramLabel = "NAME", split = ",",
			description = "identities that may do anything (with --tls-identity): the broker's own and the operator's")
	List<String> superUsers = List.of();

	@Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
			description = "the address the client listener binds (with --tls-identity; plain text stays on loopback)")
	String listen;

	@Option(names = "--advertise", paramLabel = "HOST", defaultValue = "127.0.0.1",
			description = "the host clients are told to connect to (with --tls-identity)")
	String advertise;

	@Option(names = "--parent-pid", paramLabel = "PID", defaultValue = "0",
			description = "stop when this process (the launcher) is gone")
	long parent;

	@Override
	public Integer call() throws Exception {
		EmbeddedKafka.Tls tls = (this.tlsIdentity != null)
				? new EmbeddedKafka.Tls(this.tlsIdentity, this.tlsTrust, this.superUsers, this.listen, this.advertise)
				: null;
		EmbeddedKafka broker = EmbeddedKafka.start(this.dir, this.port, this.controllerPort,
				EmbeddedKafka.PLATFORM_SHARE_HEARTBEAT, tls);
		System.out.println("Kafka broker ready at " + broker.bootstrapServers());
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			broker.close();
			stopped.countDown();
		}));
		Optional<ProcessHandle> launcher = (this.parent > 0) ? ProcessHandle.of(this.parent) : Optional.empty();
		while (!stopped.await(PARENT_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
			if (launcher.isPresent() && !launcher.get().isAlive()) {
				System.out.println("The launcher is gone; stopping");
				System.exit(0);
			}
		}
		return 0;
	}

}
