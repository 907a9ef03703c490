package dev.switchboard.launcher.platform;

import java.util.List;
import java.util.Map;
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
 * @param secrets its own secrets, which go in its environment, never on its command line
 */
public record ServiceSpec(String name, boolean database, boolean grpc, boolean edge, List<String> calls,
		List<String> asks, Function<Run, List<String>> settings, Function<Run, Map<String, String>> secrets) {

	/**
	 * What a service's own arguments may depend on.
	 *
	 * @param identity where the identity service answers on this machine
	 * @param issuer the tokens' issuer: the gateway's public address
	 * @param loadClientSecret the secret of the load generator's OAuth2 client
	 */
	public record Run(Options options, String smtp, String identity, String issuer, String loadClientSecret) {
	}

	/**
	 * The platform. Every service owns its data; only these calls are synchronous, the
	 * rest of the conversation goes through Kafka.
	 */
	public static final List<ServiceSpec> PLATFORM = List.of(
			new ServiceSpec("identity", false, false, false, List.of(), List.of(), ServiceSpec::identity,
					ServiceSpec::identitySecrets),
			backEnd("inventory", true, List.of(), List.of(), (run) -> List.of()),
			// Order knows payment's gRPC port, for when its payment edge is gRPC (up
			// --edge
			// order-payment=grpc); payment takes commands every way at once.
			backEnd("order", true, List.of("inventory", "payment"), List.of("payment", "inventory", "shipping"),
					ServiceSpec::order),
			backEnd("payment", true, List.of(), List.of(), (run) -> List.of()),
			backEnd("shipping", false, List.of(), List.of(), (run) -> List.of()),
			backEnd("notification", false, List.of(), List.of(), ServiceSpec::notification),
			backEnd("analytics", true, List.of(), List.of(), (run) -> List.of()),
			// The gateway reads analytics over REST unless its edge is switched to gRPC
			// (up --edge gateway-analytics=grpc): it knows both of its ports. It reads
			// payments over REST: payment's gRPC port is order's.
			new ServiceSpec("gateway", false, false, true,
					List.of("order", "inventory", "notification", "analytics", "shipping", "payment", "identity"),
					List.of("analytics", "payment"), ServiceSpec::gateway, (run) -> Map.of()));

	private static ServiceSpec backEnd(String name, boolean grpc, List<String> calls, List<String> asks,
			Function<Run, List<String>> settings) {
		return new ServiceSpec(name, true, grpc, false, calls, asks, settings, (run) -> Map.of());
	}

	/**
	 * The OAuth2 client of {@code ./switchboard load}, beside those of its configuration.
	 */
	public static final String LOAD_CLIENT = "switchboard-load";

	private static List<String> identity(Run run) {
		String client = "--spring.security.oauth2.authorizationserver.client.load.";
		return List.of("--spring.security.oauth2.authorizationserver.issuer=" + run.issuer(),
				"--switchboard.identity.signing-key-file="
						+ run.options().dataDir().resolve("run/identity-signing-key.json"),
				client + "registration.client-id=" + LOAD_CLIENT,
				client + "registration.client-authentication-methods=client_secret_basic",
				client + "registration.authorization-grant-types=client_credentials",
				client + "registration.scopes=orders:read,orders:write,analytics:read",
				client + "token.access-token-time-to-live=15m");
	}

	/** The load client's secret, made for this run. */
	private static Map<String, String> identitySecrets(Run run) {
		return Map.of("SPRING_APPLICATION_JSON",
				"{\"spring.security.oauth2.authorizationserver.client.load.registration.client-secret\":\"{noop}"
						+ run.loadClientSecret() + "\"}");
	}

	/**
	 * Tokens: the identity service's keys, its issuer. The load client's rate limit is
	 * above any rate {@code load} can be asked for, so that it measures the platform, not
	 * the limit.
	 */
	private static List<String> gateway(Run run) {
		String load = "--switchboard.gateway.rate-limits.clients." + LOAD_CLIENT;
		return List.of("--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + run.identity() + "/oauth2/jwks",
				"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + run.issuer(), load + ".rate=1000000",
				load + ".burst=1000000", load + ".concurrent=1000000",
				// The demo shows its GraphQL API in a browser (off unless asked for).
				"--spring.graphql.graphiql.enabled=true");
	}

	private static List<String> order(Run run) {
		List<String> arguments = new java.util.ArrayList<>(List.of("--switchboard.saga.mode=" + run.options().saga(),
				"--switchboard.order.admission.max-active-sagas=" + run.options().maxActiveOrders(),
				"--switchboard.identity.jwk-set-uri=" + run.identity() + "/oauth2/jwks",
				"--switchboard.identity.issuer=" + run.issuer()));
		run.options()
			.sagaTimeouts()
			.forEach((step, duration) -> arguments.add("--switchboard.saga.timeout." + step + "=" + duration));
		return arguments;
	}

	private static List<String> notification(Run run) {
		String[] hostPort = run.smtp().split(":");
		// Webhook receivers of a one-machine platform are on this machine too.
		return List.of("--spring.mail.host=" + hostPort[0], "--spring.mail.port=" + hostPort[1],
				"--switchboard.notification.webhooks.allow-private-networks=true");
	}

	public String databaseName() {
		return "switchboard_" + this.name;
	}

}
