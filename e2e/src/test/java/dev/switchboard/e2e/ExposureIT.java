package dev.switchboard.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What the running platform shows the network and the other users of its machine: only
 * the gateway listens beyond loopback, its public health says no more than the status,
 * operator endpoints want the admin token, and no secret is on a command line or in a
 * log. Runs after the classes that exercise the platform, so that their logs are read
 * too.
 */
@PlatformTest
@Order(6)
class ExposureIT {

	private static final List<String> SERVICES = List.of("gateway", "identity", "order", "inventory", "payment",
			"shipping", "notification", "analytics");

	@Test
	void onlyTheGatewayListensBeyondLoopback() throws IOException {
		assumeThat(Path.of("/proc/net/tcp")).as("a Linux /proc").exists();
		Map<String, Long> processes = new HashMap<>();
		SERVICES.forEach((service) -> processes.put(service, platform.pid(service)));
		processes.put("kafka", platform.pid("kafka"));
		processes.put("postgres", platform.pid("postgres"));
		// The launcher, which here is this JVM: the mail sink and the delay proxies.
		processes.put("launcher", ProcessHandle.current().pid());

		Map<String, List<String>> listening = new HashMap<>();
		for (Map.Entry<String, Long> process : processes.entrySet()) {
			List<String> addresses = ListeningSockets.of(process.getValue());
			assertThat(addresses).as(process.getKey() + " listens").isNotEmpty();
			listening.put(process.getKey(), addresses);
		}

		listening.forEach((process, addresses) -> {
			if (process.equals("gateway")) {
				assertThat(addresses).as("the gateway's public port").contains(ListeningSockets.ANY + ":" + port(api));
				assertThat(addresses).filteredOn((address) -> !address.endsWith(":" + port(api)))
					.as("the gateway's other listeners (its actuator)")
					.allMatch(ListeningSockets::isLoopback);
			}
			else {
				assertThat(addresses).as(process).allMatch(ListeningSockets::isLoopback);
			}
		});
	}

	@Test
	void thePublicHealthIsTheStatusAlone() {
		Api.Response health = get(platform.gatewayUrl() + "/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().propertyNames()).containsExactly("status");

		assertThat(get(platform.gatewayUrl() + "/actuator/metrics").status()).as("not on the public port")
			.isEqualTo(404);
		Api.Response details = get(management("gateway", "/actuator/health"));
		assertThat(details.json().has("components")).as("on the gateway's own actuator port").isTrue();
	}

	@Test
	void operatorEndpointsWantTheAdminToken() {
		for (String service : List.of("inventory", "payment", "shipping", "notification")) {
			String listing = internal(service, "/internal/") + Map
				.of("inventory", "stock", "payment", "payments", "shipping", "shipments", "notification",
						"notifications")
				.get(service);
			Api.Response refused = get(listing);
			assertThat(refused.status()).as(listing).isEqualTo(401);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(get(listing, "Authorization", "Bearer " + platform.adminToken()).status()).as(listing)
				.isEqualTo(200);
		}
		assertThat(get(internal("order", "/admin/faults")).status()).isEqualTo(401);
	}

	@Test
	void noSecretIsOnACommandLineOrInALog() throws IOException {
		// The admin token, the load client's secret, the private parts of the token
		// signing key; the RabbitMQ URI (it may hold a password).
		List<String> secrets = new ArrayList<>(List.of(platform.adminToken(), platform.loadClient().secret()));
		Path signingKey = dataDir.resolve("run/identity-signing-key.json");
		tools.jackson.databind.JsonNode key = Api.JSON.readTree(Files.readString(signingKey));
		for (String part : List.of("d", "p", "q", "dp", "dq", "qi")) {
			assertThat(key.path(part).asString()).as("the signing key's " + part).isNotBlank();
			secrets.add(key.path(part).asString());
		}
		if (emailsOnRabbitmq) {
			secrets.add(RABBITMQ.toString());
		}
		for (Path file : List.of(signingKey, dataDir.resolve("run/load-client-secret"),
				dataDir.resolve("run/admin-token"))) {
			assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
				.as(file + " is its owner's alone")
				.isEqualTo("rw-------");
		}

		for (String service : SERVICES) {
			String commandLine = ProcessHandle.of(platform.pid(service))
				.flatMap((p) -> p.info().commandLine())
				.orElseThrow();
			assertThat(commandLine).as(service + "'s command line").contains("-jar");
			secrets.forEach((secret) -> assertThat(commandLine).as(service + "'s command line").doesNotContain(secret));
		}
		try (Stream<Path> logs = Files.list(dataDir.resolve("logs"))) {
			for (Path log : logs.toList()) {
				String text = Files.readString(log, StandardCharsets.ISO_8859_1);
				secrets.forEach((secret) -> assertThat(text.contains(secret)).as(log + " holds a secret").isFalse());
			}
		}
	}

	private static int port(String url) {
		return java.net.URI.create(url).getPort();
	}

}
