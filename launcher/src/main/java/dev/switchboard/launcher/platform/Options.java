package dev.switchboard.launcher.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options of {@code switchboard up}, checked: how the platform is run.
 */
public record Options(Path dataDir, Optional<String> kafka, Optional<String> postgres, Optional<String> smtp,
		int gatewayPort, String saga, Map<String, String> sagaTimeouts, String maxActiveOrders,
		Optional<String> rabbitmq, Map<String, String> queueBindings, boolean delayProxies, boolean aotCache,
		List<String> serviceJvmOptions, Path home, Tls tls) {

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

	public static final List<String> QUEUE_BINDINGS = List.of("kafka", "rabbitmq");

	static final List<String> SAGA_MODES = List.of("orchestration", "choreography");

	public static final List<String> SAGA_STEPS = List.of("reserve", "charge", "allocate", "ship", "compensation",
			"schedule-to-start");

	public static Options of(Path dataDir, String kafka, String postgres, String smtp, int gatewayPort, String saga,
			Map<String, String> sagaTimeouts, String maxActiveOrders, String rabbitmq,
			Map<String, String> queueBindings, boolean delayProxies, boolean aotCache, String serviceJvmOptions,
			Path home, Tls tls) {
		Options options = new Options(dataDir, present(kafka), present(postgres), present(smtp), gatewayPort, saga,
				Map.copyOf(sagaTimeouts), maxActiveOrders, present(rabbitmq), Map.copyOf(queueBindings), delayProxies,
				aotCache, words(serviceJvmOptions), home, tls);
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
		if (this.smtp.isPresent() && !this.smtp.get().matches("[^:]+:\\d+")) {
			throw new IllegalArgumentException("--smtp must be HOST:PORT, was " + this.smtp.get());
		}
	}

}
