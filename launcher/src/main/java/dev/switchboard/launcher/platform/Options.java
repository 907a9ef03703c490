package dev.switchboard.launcher.platform;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The options of {@code switchboard up}, checked: how the platform is run.
 */
public record Options(Path dataDir, Optional<String> kafka, Optional<String> postgres, Optional<String> smtp,
		int gatewayPort, String saga, Map<String, String> sagaTimeouts, String maxActiveOrders,
		Optional<String> rabbitmq, Map<String, String> queueBindings, boolean delayProxies, boolean aotCache,
		List<String> serviceJvmOptions, Path home, Tls tls, Bind bind, Tracing tracing, int consolePort,
		Map<String, String> edges, boolean labRelay) {

	/**
	 * Where spans go.
	 *
	 * @param zipkin whether {@code up} runs a Zipkin server (the trace view) that every
	 * service sends its spans to
	 * @param zipkinPort the port of its UI and span endpoint, on loopback
	 * @param otlp an OTLP/HTTP collector's traces endpoint to send spans to as well, such
	 * as {@code http://localhost:4318/v1/traces}
	 * @param sampling the share of traces recorded, from 0 to 1
	 */
	public record Tracing(boolean zipkin, int zipkinPort, Optional<String> otlp, double sampling) {

		public static final int DEFAULT_ZIPKIN_PORT = 9411;

		public static final Tracing DEFAULT = new Tracing(true, DEFAULT_ZIPKIN_PORT, Optional.empty(), 1.0);

	}

	/**
	 * Mutual TLS on the internal hops.
	 *
	 * @param on whether services authenticate each other with certificates
	 * @param authority where the certificate authority lives
	 * @param lifetime how long each certificate issued to a service is valid; it is
	 * renewed at half its life
	 */
	public record Tls(boolean on, Path authority, Duration lifetime) {

		public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);

		static final Duration SHORTEST_LIFETIME = Duration.ofSeconds(10);

	}

	/**
	 * Where the services, the Kafka broker and PostgreSQL listen: this machine alone
	 * ({@code 127.0.0.1}, the default), one of its addresses, or all of them
	 * ({@code 0.0.0.0}, {@code ::}). Beyond loopback only with mutual TLS: then every
	 * listener takes only callers with the platform's certificates.
	 *
	 * @param address an IP address of this machine, or a wildcard
	 */
	public record Bind(String address) {

		public static final Bind LOOPBACK = new Bind("127.0.0.1");

		private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

		/**
		 * Reads {@code value}: an IP address literal (no host name: what a name resolves
		 * to can change under a running platform).
		 * @throws IllegalArgumentException when it is not one, or not of this machine
		 */
		public static Bind of(String value) {
			String address = value.strip();
			if (address.startsWith("[") && address.endsWith("]")) {
				address = address.substring(1, address.length() - 1);
			}
			InetAddress parsed = parse(address);
			if (!parsed.isAnyLocalAddress() && !parsed.isLoopbackAddress() && !local(parsed)) {
				throw new IllegalArgumentException(
						"--bind " + value + " is not an address of this machine; give one of its addresses, "
								+ "127.0.0.1 (this machine alone) or 0.0.0.0 (all of them)");
			}
			return new Bind(parsed.getHostAddress());
		}

		private static InetAddress parse(String address) {
			if (!LITERAL.matcher(address).matches()) {
				throw new IllegalArgumentException(
						"--bind must be an IP address such as 127.0.0.1, 0.0.0.0 or " + "192.168.1.20, was " + address);
			}
			try {
				// A literal: no name lookup happens.
				return InetAddress.getByName(address);
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException(
						"--bind must be an IP address such as 127.0.0.1, 0.0.0.0 or " + "192.168.1.20, was " + address,
						ex);
			}
		}

		private static boolean local(InetAddress address) {
			try {
				return NetworkInterface.getByInetAddress(address) != null;
			}
			catch (SocketException ex) {
				return false;
			}
		}

		private InetAddress inet() {
			return parse(this.address);
		}

		/** Whether only this machine can reach what listens here. */
		public boolean loopback() {
			return inet().isLoopbackAddress();
		}

		/** Whether this is every address of the machine. */
		public boolean wildcard() {
			return inet().isAnyLocalAddress();
		}

		/**
		 * How this machine's own clients (services calling each other, the launcher's
		 * tools) reach a listener bound here, as a URI or a {@code host:port} writes it:
		 * the address itself, or the loopback address for a wildcard.
		 */
		public String host() {
			if (wildcard()) {
				return "127.0.0.1";
			}
			return (inet() instanceof Inet6Address) ? "[" + this.address + "]" : this.address;
		}

	}

	public static final List<String> QUEUE_BINDINGS = List.of("kafka", "rabbitmq");

	/**
	 * The edges whose transport {@code --edge CALLER-CALLEE=TRANSPORT} can switch, with
	 * their transports, the default first. The caller gets
	 * {@code switchboard.transports.<callee>}; its business code is the same either way.
	 */
	public static final Map<String, List<String>> EDGES = Map.of("order-inventory", List.of("grpc", "rest"),
			"order-payment", List.of("queue", "stream", "grpc"), "gateway-order", List.of("grpc", "rest"),
			"gateway-analytics", List.of("rest", "grpc"));

	static final List<String> SAGA_MODES = List.of("orchestration", "choreography");

	public static final List<String> SAGA_STEPS = List.of("reserve", "charge", "allocate", "ship", "compensation",
			"schedule-to-start");

	public static Options of(Path dataDir, String kafka, String postgres, String smtp, int gatewayPort, String saga,
			Map<String, String> sagaTimeouts, String maxActiveOrders, String rabbitmq,
			Map<String, String> queueBindings, boolean delayProxies, boolean aotCache, String serviceJvmOptions,
			Path home, Tls tls, Bind bind, Tracing tracing, int consolePort, Map<String, String> edges,
			boolean labRelay) {
		Options options = new Options(dataDir, present(kafka), present(postgres), present(smtp), gatewayPort, saga,
				Map.copyOf(sagaTimeouts), maxActiveOrders, present(rabbitmq), Map.copyOf(queueBindings), delayProxies,
				aotCache, words(serviceJvmOptions), home, tls, bind, tracing, consolePort, Map.copyOf(edges), labRelay);
		options.validate();
		return options;
	}

	/**
	 * The broker carrying {@code queue}: its own binding, else RabbitMQ when one is
	 * given, else Kafka.
	 */
	public String bindingOf(String queue) {
		return this.queueBindings.getOrDefault(queue, this.rabbitmq.isPresent() ? "rabbitmq" : "kafka");
	}

	/** The transport of the edge {@code caller-callee}: as chosen, else its default. */
	public String transportOf(String edge) {
		return this.edges.getOrDefault(edge, EDGES.get(edge).getFirst());
	}

	private static List<String> words(String value) {
		return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
	}

	private static Optional<String> present(String value) {
		return Optional.ofNullable(value).filter((v) -> !v.isBlank());
	}

	private void validate() {
		if (this.postgres.isPresent() && !this.postgres.get().startsWith("jdbc:postgresql://")) {
			throw new IllegalArgumentException(
					"--postgres must be a jdbc:postgresql:// URL, was " + this.postgres.get());
		}
		if (!SAGA_MODES.contains(this.saga)) {
			throw new IllegalArgumentException("--saga must be one of " + SAGA_MODES + ", was " + this.saga);
		}
		if (this.rabbitmq.isPresent() && !this.rabbitmq.get().matches("amqps?://[^/]+.*")) {
			throw new IllegalArgumentException(
					"--rabbitmq must be an amqp:// or amqps:// URI, was " + this.rabbitmq.get());
		}
		if (this.rabbitmq.isEmpty() && this.queueBindings.containsValue("rabbitmq")) {
			throw new IllegalArgumentException("--queue-binding ...=rabbitmq needs --rabbitmq AMQP_URI");
		}
		if (this.tls.lifetime().compareTo(Tls.SHORTEST_LIFETIME) < 0) {
			throw new IllegalArgumentException("--certificate-lifetime must be at least "
					+ Tls.SHORTEST_LIFETIME.toSeconds() + "s, was " + this.tls.lifetime().toSeconds() + "s");
		}
		if (!this.bind.loopback() && !this.tls.on()) {
			throw new IllegalArgumentException("--bind " + this.bind.address() + " needs --mtls on: without "
					+ "certificates, anyone who can reach this machine could call the services, their broker and "
					+ "their database");
		}
		if (this.tracing.otlp().isPresent() && !this.tracing.otlp().get().matches("https?://[^/\\s]+\\S*")) {
			throw new IllegalArgumentException("--otlp must be an http:// or https:// URL of an OTLP/HTTP traces "
					+ "endpoint, such as http://localhost:4318/v1/traces, was " + this.tracing.otlp().get());
		}
		if (!(this.tracing.sampling() >= 0 && this.tracing.sampling() <= 1)) {
			throw new IllegalArgumentException(
					"--trace-sampling must be a number from 0 to 1, was " + this.tracing.sampling());
		}
		this.edges.forEach((edge, transport) -> {
			if (!EDGES.getOrDefault(edge, List.of()).contains(transport)) {
				throw new IllegalArgumentException("--edge must be EDGE=TRANSPORT, one of "
						+ new java.util.TreeMap<>(EDGES) + ", was " + edge + "=" + transport);
			}
		});
		if (this.smtp.isPresent() && !this.smtp.get().matches("[^:]+:\\d+")) {
			throw new IllegalArgumentException("--smtp must be HOST:PORT, was " + this.smtp.get());
		}
	}

}
