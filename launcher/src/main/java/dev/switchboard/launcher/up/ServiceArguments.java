package dev.switchboard.launcher.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.launcher.platform.AdminToken;
import dev.switchboard.launcher.platform.Options;
import dev.switchboard.launcher.platform.ServiceCertificates;
import dev.switchboard.launcher.platform.ServiceSpec;

/**
 * How one service of the table ({@link ServiceSpec#PLATFORM}) is started: its command
 * line (its JVM, its ports, and, as the table declares them, its database, broker and
 * queue settings, the services it calls, over gRPC through a delay proxy if there is one,
 * otherwise HTTP, and its own settings) and its environment, which holds the secrets:
 * every user of the machine can read a command line ({@code ps}), only the owner a
 * process's environment. Nothing here depends on a service's name.
 *
 * @param httpPorts each service's HTTP port
 * @param grpcPorts the gRPC port of each service that serves gRPC
 * @param grpcTargets where callers reach each gRPC server: itself or its delay proxy
 * @param managementPorts the actuator port of each service that has one of its own
 * @param adminToken the platform's admin token
 * @param loadClientSecret the secret of the load generator's OAuth2 client
 * @param zipkinSpans where the platform's Zipkin server takes spans, if it runs one
 */
record ServiceArguments(Options options, Infrastructure infrastructure, Map<String, Integer> httpPorts,
		Map<String, Integer> grpcPorts, Map<String, Integer> grpcTargets, Map<String, Integer> managementPorts,
		String adminToken, String loadClientSecret, Optional<String> zipkinSpans) {

	/** Spring Boot reads these as {@code spring.datasource.password} and so on. */
	static final String DATABASE_PASSWORD = "SPRING_DATASOURCE_PASSWORD";

	static final String RABBITMQ_URI = "SWITCHBOARD_QUEUES_RABBITMQURI";

	static final String ADMIN_TOKEN = AdminToken.ENVIRONMENT_VARIABLE;

	List<String> of(ServiceSpec spec) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(javaCommand(spec));
		command.add("--server.port=" + this.httpPorts.get(spec.name()));
		String address = this.options.bind().address();
		if (!spec.edge()) {
			// The edge's public port listens on every address, whatever --bind says.
			command.add("--server.address=" + address);
		}
		if (this.managementPorts.containsKey(spec.name())) {
			command.add("--management.server.port=" + this.managementPorts.get(spec.name()));
			command.add("--management.server.address=" + address);
		}
		command.add("--switchboard.parent-pid=" + ProcessHandle.current().pid());
		command.addAll(tracingArguments());
		// One JSON object a line (Elastic Common Schema): time, level, service, trace and
		// span ids, the order a message was about; switchboard logs reads them.
		command.add("--logging.structured.format.console=ecs");
		if (this.options.tls().on()) {
			Path runDir = this.options.dataDir().resolve("run");
			command.add("--switchboard.tls.identity-file=" + ServiceCertificates.identityFile(runDir, spec.name()));
			command.add("--switchboard.tls.trust-file=" + ServiceCertificates.trustFile(runDir));
			// Internal HTTP too: every service port (the gateway's actuator port, not its
			// public one) takes only callers with a platform certificate.
			command.add("--switchboard.tls.http=true");
		}
		if (spec.grpc()) {
			command.add("--spring.grpc.server.port=" + this.grpcPorts.get(spec.name()));
			command.add("--spring.grpc.server.address=" + address);
		}
		if (spec.database()) {
			command.add("--spring.kafka.bootstrap-servers=" + this.infrastructure.kafka());
			if (this.infrastructure.kafkaTls()) {
				command.add("--switchboard.tls.kafka=true");
			}
			command.addAll(queueArguments());
			command.add("--spring.datasource.url=" + this.infrastructure.serviceDatabaseUrl(spec));
			if (this.infrastructure.serviceDatabaseUser(spec) != null) {
				command.add("--spring.datasource.username=" + this.infrastructure.serviceDatabaseUser(spec));
			}
		}
		command.addAll(serviceLocations(spec));
		command.addAll(transportArguments(spec));
		command.addAll(relayArguments(spec));
		command.addAll(spec.settings().apply(run()));
		return command;
	}

	/**
	 * Where {@code spec} finds the services it talks to: the gRPC port of each it calls
	 * that serves gRPC (else its HTTP port), and the HTTP port of each it asks.
	 */
	List<String> serviceLocations(ServiceSpec spec) {
		List<String> locations = new ArrayList<>();
		for (String callee : spec.calls()) {
			if (this.grpcTargets.containsKey(callee)) {
				locations.add(grpcChannel(callee));
			}
			else {
				locations.add("--switchboard.services." + callee + ".url=" + internalUrl(callee));
			}
		}
		for (String asked : spec.asks()) {
			locations.add("--switchboard.services." + asked + ".url=" + internalUrl(asked));
		}
		return locations;
	}

	/**
	 * The transport of each edge {@code up --edge} switched whose caller {@code spec} is:
	 * {@code switchboard.transports.<callee>}, and where the callee's HTTP port is when
	 * the caller would not know it otherwise.
	 */
	List<String> transportArguments(ServiceSpec spec) {
		List<String> arguments = new ArrayList<>();
		this.options.edges().forEach((edge, transport) -> {
			if (edge.startsWith(spec.name() + "-")) {
				String callee = edge.substring(spec.name().length() + 1);
				arguments.add("--switchboard.transports." + callee + "=" + transport);
				boolean known = spec.asks().contains(callee)
						|| (spec.calls().contains(callee) && !this.grpcTargets.containsKey(callee));
				if (!known) {
					arguments.add("--switchboard.services." + callee + ".url=" + internalUrl(callee));
				}
			}
		});
		return arguments;
	}

	/**
	 * With {@code up --lab-relay on}, a service that serves gRPC serves the lab's relay
	 * too, and may pass a call on to any service that serves gRPC (itself included), on a
	 * channel named after it.
	 */
	List<String> relayArguments(ServiceSpec spec) {
		if (!this.options.labRelay() || !spec.grpc()) {
			return List.of();
		}
		List<String> arguments = new ArrayList<>();
		arguments.add("--switchboard.lab.relay.enabled=true");
		arguments.add("--switchboard.lab.relay.peers=" + String.join(",", this.grpcTargets.keySet()));
		this.grpcTargets.keySet()
			.stream()
			.filter((peer) -> !spec.calls().contains(peer))
			.forEach((peer) -> arguments.add(grpcChannel(peer)));
		return arguments;
	}

	/** The channel to {@code callee}'s gRPC server, or to the delay proxy before it. */
	private String grpcChannel(String callee) {
		// A delay proxy listens on loopback; the server itself where it is bound.
		boolean proxied = !this.grpcTargets.get(callee).equals(this.grpcPorts.get(callee));
		return "--spring.grpc.client.channel." + callee + ".target="
				+ (proxied ? "127.0.0.1" : this.options.bind().host()) + ":" + this.grpcTargets.get(callee);
	}

	private ServiceSpec.Run run() {
		return new ServiceSpec.Run(this.options, this.infrastructure.smtp(), internalUrl("identity"),
				"http://localhost:" + this.options.gatewayPort(), this.loadClientSecret);
	}

	/** Where {@code service}'s internal HTTP port answers: over mutual TLS when on. */
	private String internalUrl(String service) {
		return (this.options.tls().on() ? "https" : "http") + "://" + this.options.bind().host() + ":"
				+ this.httpPorts.get(service);
	}

	List<String> javaCommand(ServiceSpec spec) throws IOException, InterruptedException {
		Path jar = this.options.home().resolve("services/" + spec.name() + "/target/" + spec.name() + ".jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException("Missing " + jar + ": build first with ./mvnw -DskipTests package");
		}
		List<String> command = new ArrayList<>();
		command.add(javaExecutable());
		command.addAll(jvmOptions(this.options.serviceJvmOptions()));
		if (this.options.aotCache()) {
			command.addAll(new ServiceJar(spec.name(), jar, this.options.dataDir()).arguments());
		}
		else {
			command.addAll(List.of("-jar", jar.toString()));
		}
		return command;
	}

	/** What the service finds in its environment: the secrets. */
	Map<String, String> environment(ServiceSpec spec) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put(ADMIN_TOKEN, this.adminToken);
		if (spec.database()) {
			environment.put(DATABASE_PASSWORD,
					Optional.ofNullable(this.infrastructure.databases().password()).orElse(""));
			this.options.rabbitmq().ifPresent((uri) -> environment.put(RABBITMQ_URI, uri));
		}
		environment.putAll(spec.secrets().apply(run()));
		return environment;
	}

	/** The JVM options of a service process: the defaults, then the user's, which win. */
	static List<String> jvmOptions(List<String> extra) {
		List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx384m",
				"-XX:ReservedCodeCacheSize=64m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError",
				// The full tiered JIT (C2): its code costs about half of C1's per order
				// once warm (docs/benchmarks.md). Its warm-up is what the AOT cache
				// (ServiceJar) shortens. More carrier threads than cores: a wait that
				// still pins a carrier (class initialisation, native calls) must not be
				// able to stop every virtual thread.
				"-Djdk.virtualThreadScheduler.parallelism=8"));
		if (Runtime.version().feature() >= 24) {
			options.add("--sun-misc-unsafe-memory-access=allow");
		}
		options.addAll(extra);
		return options;
	}

	/** Where spans go, and how many traces are recorded. */
	List<String> tracingArguments() {
		List<String> arguments = new ArrayList<>();
		arguments.add("--management.tracing.sampling.probability=" + this.options.tracing().sampling());
		this.zipkinSpans.ifPresent((endpoint) -> arguments.add("--switchboard.tracing.zipkin.endpoint=" + endpoint));
		this.options.tracing()
			.otlp()
			.ifPresent((url) -> arguments.add("--management.opentelemetry.tracing.export.otlp.endpoint=" + url));
		return arguments;
	}

	/**
	 * Where each service finds its work queues: RabbitMQ when given, per-queue overrides.
	 */
	private List<String> queueArguments() {
		List<String> arguments = new ArrayList<>();
		if (this.options.rabbitmq().isPresent()) {
			arguments.add("--switchboard.queues.binding=rabbitmq");
		}
		this.options.queueBindings()
			.forEach((queue, binding) -> arguments.add("--switchboard.queues.bindings[" + queue + "]=" + binding));
		return arguments;
	}

	static String javaExecutable() {
		return ProcessHandle.current().info().command().orElse("java");
	}

}
