package dev.switchboard.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code switchboard} command.
 */
public final class Switchboard {

	private Switchboard() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
			System.out.println("usage: switchboard up | load | bench | chaos | kill | pause | resume | fault | dlq ...\n\n"
					+ Options.USAGE + "\n\n" + LoadGenerator.USAGE + "\n\n" + Bench.USAGE + "\n\n" + ChaosCommand.USAGE + "\n\n" + RunningServices.USAGE + "\n\n"
					+ FaultCommand.USAGE + "\n\n" + DlqCommand.USAGE);
			return;
		}
		List<String> rest = Arrays.asList(args).subList(1, args.length);
		try {
			switch (args[0]) {
				case "up" -> up(rest);
				case "load" -> System.exit(LoadGenerator.run(rest, System.out));
				case "bench" -> System.exit(Bench.run(rest, System.out));
				case "chaos" -> System.exit(ChaosCommand.run(rest, System.out));
				case "kill", "pause", "resume" -> System.exit(RunningServices.signal(args[0], rest, System.out));
				case "fault" -> System.exit(FaultCommand.run(rest, System.out));
				case "dlq" -> System.exit(DlqCommand.run(rest, System.out));
				// Started by up, not by hand: the embedded broker in a process of its own.
				case "kafka-broker" -> KafkaBrokerCommand.run(rest);
				default -> {
					System.err.println("unknown command " + args[0]
							+ "; try: switchboard up | load | bench | chaos | kill | pause | resume | fault | dlq (--help for all options)");
					System.exit(2);
				}
			}
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			System.err.println("switchboard: " + ex.getMessage());
			System.exit(1);
		}
	}

	private static void up(List<String> args) throws Exception {
		Path home = Path.of(System.getProperty("switchboard.home", ".")).toAbsolutePath().normalize();
		Options options = Options.parse(args, System.getenv(), home);
		// Before any logger exists: the infrastructure log goes into the data directory.
		System.setProperty("switchboard.log.dir", options.dataDir().resolve("logs").toString());
		System.out.println("Starting Switchboard (data in " + options.dataDir() + ")");
		Platform platform = Platform.start(args, System.getenv(), home, System.out);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("Stopping Switchboard...");
			platform.close();
			System.out.println("Stopped.");
			stopped.countDown();
		}));
		System.out.println("Switchboard is ready: " + platform.gatewayUrl() + "  (Ctrl-C stops it)");
		stopped.await();
	}

}
