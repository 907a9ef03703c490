package dev.switchboard.launcher;

import java.util.List;

/**
 * One service of the platform as the launcher sees it.
 *
 * @param name the service's name: its module, jar and database
 * @param database whether it owns a database
 * @param grpc whether it serves gRPC
 * @param calls the services it calls synchronously
 */
record ServiceSpec(String name, boolean database, boolean grpc, List<String> calls) {

	/**
	 * The platform. Every service owns its data; only these calls are synchronous, the rest
	 * of the conversation goes through Kafka.
	 */
	static final List<ServiceSpec> PLATFORM = List.of(
			new ServiceSpec("inventory", true, true, List.of()),
			new ServiceSpec("order", true, true, List.of("inventory")),
			new ServiceSpec("payment", true, false, List.of()),
			new ServiceSpec("shipping", true, false, List.of()),
			new ServiceSpec("notification", true, false, List.of()),
			new ServiceSpec("analytics", true, false, List.of()),
			new ServiceSpec("gateway", false, false, List.of("order", "inventory", "notification", "analytics")));

	String databaseName() {
		return "switchboard_" + this.name;
	}

}
