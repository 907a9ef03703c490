package dev.switchboard.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options of {@code switchboard up}. Each can also come from an environment variable;
 * the command line wins.
 */
record Options(Path dataDir, Optional<String> kafka, Optional<String> postgres, Optional<String> smtp, int gatewayPort,
		String saga, Map<String, String> sagaTimeouts, String maxActiveOrders, Optional<String> rabbitmq,
		Map<String, String> queueBindings, boolean delayProxies, List<String> serviceJvmOptions, Path home) {

	static final List<String> QUEUE_BINDINGS = List.of("kafka", "rabbitmq");

	static final List<String> SAGA_MODES = List.of("orchestration", "choreography");

	static final List<String> SAGA_STEPS = List.of("reserve", "charge", "allocate", "ship", "compensation",
			"schedule-to-start");

	static final String USAGE = """
			usage: switchboard up [--data-dir DIR] [--kafka BOOTSTRAP] [--postgres JDBC_URL] [--smtp HOST:PORT]
			                      [--rabbitmq AMQP_URI] [--queue-binding QUEUE=kafka|rabbitmq] [other options below]
			  --data-dir DIR       where all state lives (default ./var; env SWITCHBOARD_DATA_DIR)
			  --kafka BOOTSTRAP    use this Kafka cluster instead of the embedded broker (env SWITCHBOARD_KAFKA)
			  --postgres JDBC_URL  use this PostgreSQL server instead of the embedded one; one database per
			                       service is created on it (env SWITCHBOARD_POSTGRES; user and password from
			                       the URL or SWITCHBOARD_POSTGRES_USER / SWITCHBOARD_POSTGRES_PASSWORD)
			  --smtp HOST:PORT     send notifications to this SMTP server instead of the embedded mail sink
			                       (env SWITCHBOARD_SMTP)
			  --rabbitmq AMQP_URI  carry the work queues (payment commands, emails) on this RabbitMQ, not Kafka,
			                       e.g. amqp://guest:guest@localhost:5672 (env SWITCHBOARD_RABBITMQ)
			  --queue-binding QUEUE=BINDING
			                       put one work queue on kafka or rabbitmq whatever the default; repeatable,
			                       e.g. --queue-binding switchboard.payment.commands=kafka
			  --gateway-port PORT  the gateway's port (default 8080; env SWITCHBOARD_GATEWAY_PORT)
			  --saga MODE          how new orders' sagas run: orchestration (default) or choreography
			                       (env SWITCHBOARD_SAGA); sagas already running finish in their own mode
			  --saga-timeout STEP=DURATION
			                       how long a saga step may take once its participant took it (reserve
			                       5s, charge 10s, allocate 5s, ship 5s), how long a step may wait for
			                       a participant that is down or busy (schedule-to-start 5m), or the
			                       first compensation retry delay (compensation 30s); repeatable,
			                       e.g. --saga-timeout charge=3s
			  --max-active-orders N|auto
			                       refuse new orders (503 + Retry-After) while N orders are in progress;
			                       auto (the default) sets N by Little's law: the admitted rate over the
			                       last 10 s times 2 s, at least 100; 0 accepts without limit
			                       (env SWITCHBOARD_MAX_ACTIVE_ORDERS)
			  --delay-proxies on|off
			                       put a TCP proxy in front of each gRPC server (order, inventory) whose
			                       delay switchboard fault SERVICE --network-delay (and switchboard chaos)
			                       can set: a slow network between services (default off; env
			                       SWITCHBOARD_DELAY_PROXIES)
			  env SWITCHBOARD_SERVICE_JVM_OPTIONS
			                       extra JVM options for every service process, separated by spaces and
			                       placed after the defaults, so they win: -XX:TieredStopAtLevel=1 for the
			                       C1 compiler only, -Xmx512m for more heap""";

	static Options parse(List<String> args, Map<String, String> env, Path home) {
		Path[] dataDir = { Path.of(env.getOrDefault("SWITCHBOARD_DATA_DIR", "var")) };
		String[] kafka = { env.get("SWITCHBOARD_KAFKA") };
		String[] postgres = { env.get("SWITCHBOARD_POSTGRES") };
		String[] smtp = { env.get("SWITCHBOARD_SMTP") };
		int[] gatewayPort = { Integer.parseInt(env.getOrDefault("SWITCHBOARD_GATEWAY_PORT", "8080")) };
		String[] saga = { env.getOrDefault("SWITCHBOARD_SAGA", "orchestration") };
		Map<String, String> sagaTimeouts = new LinkedHashMap<>();
		String[] maxActiveOrders = { env.getOrDefault("SWITCHBOARD_MAX_ACTIVE_ORDERS", "auto") };
		String[] rabbitmq = { env.get("SWITCHBOARD_RABBITMQ") };
		Map<String, String> queueBindings = new LinkedHashMap<>();
		String[] delayProxies = { env.getOrDefault("SWITCHBOARD_DELAY_PROXIES", "off") };
		CommandLine.parse(args, USAGE, (option, value) -> {
			switch (option) {
				case "--data-dir" -> dataDir[0] = Path.of(value);
				case "--kafka" -> kafka[0] = value;
				case "--postgres" -> postgres[0] = value;
				case "--smtp" -> smtp[0] = value;
				case "--gateway-port" -> gatewayPort[0] = Integer.parseInt(value);
				case "--saga" -> saga[0] = value;
				case "--max-active-orders" -> maxActiveOrders[0] = value;
				case "--rabbitmq" -> rabbitmq[0] = value;
				case "--delay-proxies" -> delayProxies[0] = value;
				case "--queue-binding" -> {
					String[] queueAndBinding = value.split("=", 2);
					if (queueAndBinding.length != 2 || !queueAndBinding[0].matches("[a-z0-9][a-z0-9.-]*")
							|| !QUEUE_BINDINGS.contains(queueAndBinding[1])) {
						throw new IllegalArgumentException(
								"--queue-binding must be QUEUE=BINDING with BINDING one of " + QUEUE_BINDINGS + ", was " + value);
					}
					queueBindings.put(queueAndBinding[0], queueAndBinding[1]);
				}
				case "--saga-timeout" -> {
					String[] stepAndDuration = value.split("=", 2);
					if (stepAndDuration.length != 2 || !SAGA_STEPS.contains(stepAndDuration[0])
							|| !stepAndDuration[1].matches("\\d+(ms|s|m)")) {
						throw new IllegalArgumentException("--saga-timeout must be STEP=DURATION with STEP one of "
								+ SAGA_STEPS + " and DURATION like 500ms, 3s or 1m, was " + value);
					}
					sagaTimeouts.put(stepAndDuration[0], stepAndDuration[1]);
				}
				default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
			}
		});
		if (!List.of("on", "off").contains(delayProxies[0])) {
			throw new IllegalArgumentException("--delay-proxies must be on or off, was " + delayProxies[0]);
		}
		Options options = new Options(dataDir[0].toAbsolutePath().normalize(), present(kafka[0]), present(postgres[0]),
				present(smtp[0]), gatewayPort[0], saga[0], Map.copyOf(sagaTimeouts), count(maxActiveOrders[0]),
				present(rabbitmq[0]), Map.copyOf(queueBindings), delayProxies[0].equals("on"), words(env.getOrDefault("SWITCHBOARD_SERVICE_JVM_OPTIONS", "")), home);
		options.validate();
		return options;
	}

	/** The broker carrying {@code queue}: its own binding, else RabbitMQ when one is given, else Kafka. */
	String bindingOf(String queue) {
		return this.queueBindings.getOrDefault(queue, this.rabbitmq.isPresent() ? "rabbitmq" : "kafka");
	}

	private static String count(String value) {
		if (!value.equals("auto") && !value.matches("\\d{1,9}")) {
			throw new IllegalArgumentException("--max-active-orders must be auto or a whole number >= 0, was " + value);
		}
		return value;
	}

	private static List<String> words(String value) {
		return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
	}

	private static Optional<String> present(String value) {
		return Optional.ofNullable(value).filter((v) -> !v.isBlank());
	}

	private void validate() {
		if (this.postgres.isPresent() && !this.postgres.get().startsWith("jdbc:postgresql://")) {
			throw new IllegalArgumentException("--postgres must be a jdbc:postgresql:// URL, was " + this.postgres.get());
		}
		if (!SAGA_MODES.contains(this.saga)) {
			throw new IllegalArgumentException("--saga must be one of " + SAGA_MODES + ", was " + this.saga);
		}
		if (this.rabbitmq.isPresent() && !this.rabbitmq.get().matches("amqps?://[^/]+.*")) {
			throw new IllegalArgumentException("--rabbitmq must be an amqp:// or amqps:// URI, was " + this.rabbitmq.get());
		}
		if (this.rabbitmq.isEmpty() && this.queueBindings.containsValue("rabbitmq")) {
			throw new IllegalArgumentException("--queue-binding ...=rabbitmq needs --rabbitmq AMQP_URI");
		}
		if (this.smtp.isPresent() && !this.smtp.get().matches("[^:]+:\\d+")) {
			throw new IllegalArgumentException("--smtp must be HOST:PORT, was " + this.smtp.get());
		}
	}

}
