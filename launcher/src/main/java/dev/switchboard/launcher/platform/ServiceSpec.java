package dev.switchboard.launcher.platform;

import java.util.List;
import java.util.function.Function;

/**
 * One service of the platform as the launcher sees it: everything {@code up} needs to
 * start it, so that starting is the same loop for all of them.
 *
 * @param name the service's name: its module, jar and database
 * @param database whether it owns a database
 * @param grpc whether it serves gRPC
 * @param edge whether it faces users (on the gateway port) rather than other services
 * @param calls the services it calls synchronously (over gRPC where they serve it, else
 * HTTP)
 * @param asks the services whose HTTP endpoints it reads besides (order asks participants
 * where an overdue saga step stands)
 * @param settings its own arguments, from the options of this run
 */
public record ServiceSpec(String name, boolean database, boolean grpc, boolean edge, List<String> calls,
		List<String> asks, Function<Run, List<String>> settings) {

	/** What a service's own arguments may depend on. */
	public record Run(Options options, String smtp) {
	}

	/**
	 * The platform. Every service owns its data; only these calls are synchronous, the
	 * rest of the conversation goes through Kafka.
	 */
	public static final List<ServiceSpec> PLATFORM = List.of(
			backEnd("inventory", true, List.of(), List.of(), (run) -> List.of()),
			backEnd("order", true, List.of("inventory"), List.of("payment", "inventory", "shipping"),
					ServiceSpec::order),
			backEnd("payment", false, List.of(), List.of(), (run) -> List.of()),
			backEnd("shipping", false, List.of(), List.of(), (run) -> List.of()),
			backEnd("notification", false, List.of(), List.of(), ServiceSpec::notification),
			backEnd("analytics", false, List.of(), List.of(), (run) -> List.of()),
			new ServiceSpec("gateway", false, false, true, List.of("order", "inventory", "notification", "analytics"),
					List.of(), (run) -> List.of()));

	private static ServiceSpec backEnd(String name, boolean grpc, List<String> calls, List<String> asks,
			Function<Run, List<String>> settings) {
		return new ServiceSpec(name, true, grpc, false, calls, asks, settings);
	}

	private static List<String> order(Run run) {
		List<String> arguments = new java.util.ArrayList<>(List.of("--switchboard.saga.mode=" + run.options().saga(),
				"--switchboard.order.admission.max-active-sagas=" + run.options().maxActiveOrders()));
		run.options()
			.sagaTimeouts()
			.forEach((step, duration) -> arguments.add("--switchboard.saga.timeout." + step + "=" + duration));
		return arguments;
	}

	private static List<String> notification(Run run) {
		String[] hostPort = run.smtp().split(":");
		return List.of("--spring.mail.host=" + hostPort[0], "--spring.mail.port=" + hostPort[1]);
	}

	public String databaseName() {
		return "switchboard_" + this.name;
	}

}
