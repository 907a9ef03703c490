package dev.switchboard.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this
 * JVM, keeping its log in a directory so topics, records and committed offsets survive a
 * restart. Topics are never auto-created: their writers create them.
 */
public final class EmbeddedKafka implements AutoCloseable {

	private final KafkaRaftServer server;

	private final String bootstrapServers;

	private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
		this.server = server;
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * How often share-group members (work-queue consumers) of the platform's broker
	 * heartbeat.
	 */
	public static final Duration PLATFORM_SHARE_HEARTBEAT = Duration.ofSeconds(5);

	/**
	 * Starts a broker on {@code brokerPort} with its controller on
	 * {@code controllerPort}, formatting {@code logDir} first if it has never held a
	 * Kafka log, with the platform's share-group heartbeat.
	 */
	public static EmbeddedKafka start(Path logDir, int brokerPort, int controllerPort) throws Exception {
		return start(logDir, brokerPort, controllerPort, PLATFORM_SHARE_HEARTBEAT);
	}

	/**
	 * Starts a broker whose share-group members heartbeat every {@code shareHeartbeat}. A
	 * new member gets its partitions within about one interval, and an idle member costs
	 * one request each interval: tests that start and stop many consumers want it short
	 * (half a second), a platform at rest wants it long (Kafka's own default is 5 s).
	 */
	public static EmbeddedKafka start(Path logDir, int brokerPort, int controllerPort, Duration shareHeartbeat)
			throws Exception {
		return start(logDir, brokerPort, controllerPort, shareHeartbeat, null);
	}

	/**
	 * Mutual TLS on every listener of the broker, with an authorizer.
	 *
	 * @param identity the broker's key and certificate (one PEM file, unencrypted PKCS #8
	 * key), checked for a renewed version when a connection opens
	 * @param authorities the certificate authorities clients' certificates must come from
	 * (PEM)
	 * @param superUsers the identities that may do anything: the broker's own and the
	 * operator's. Everyone else may do what an ACL grants them.
	 * @param listen the address the client listener binds: loopback, an address of the
	 * machine or a wildcard (the controller listener stays on loopback)
	 * @param advertised the host clients are told to connect to
	 */
	public record Tls(Path identity, Path authorities, List<String> superUsers, String listen, String advertised) {

		/** A broker that only this machine reaches. */
		public Tls(Path identity, Path authorities, List<String> superUsers) {
			this(identity, authorities, superUsers, "127.0.0.1", "127.0.0.1");
		}

		/**
		 * A client's identity is the common name of its certificate, when the certificate
		 * is one of the platform's ({@code CN=<service>,O=Switchboard}); any other
		 * subject is refused.
		 */
		static final String PRINCIPAL_RULES = "RULE:^CN=([a-z][a-z0-9-]*),O=Switchboard$/$1/,"
				+ "RULE:^O=Switchboard,CN=([a-z][a-z0-9-]*)$/$1/";

		/**
		 * What a client of such a broker sets, besides its bootstrap servers, to connect
		 * as the identity in {@code identity} (key and certificate, one PEM file).
		 */
		public static Map<String, Object> clientConfig(Path identity, Path authorities) {
			return Map.of("security.protocol", "SSL", "ssl.keystore.type", "PEM", "ssl.keystore.location",
					identity.toAbsolutePath().toString(), "ssl.truststore.type", "PEM", "ssl.truststore.location",
					authorities.toAbsolutePath().toString(), "ssl.endpoint.identification.algorithm", "");
		}

		Map<String, String> brokerConfig(int brokerPort, int controllerPort) {
			return Map.ofEntries(
					Map.entry("listeners",
							"SSL://" + uriHost(this.listen) + ":" + brokerPort + ",CONTROLLER://127.0.0.1:"
									+ controllerPort),
					Map.entry("advertised.listeners", "SSL://" + uriHost(this.advertised) + ":" + brokerPort),
					Map.entry("listener.security.protocol.map", "SSL:SSL,CONTROLLER:SSL"),
					Map.entry("inter.broker.listener.name", "SSL"),
					Map.entry("ssl.engine.factory.class", RenewingSslEngineFactory.class.getName()),
					Map.entry("ssl.keystore.type", "PEM"),
					Map.entry("ssl.keystore.location", this.identity.toAbsolutePath().toString()),
					Map.entry("ssl.truststore.type", "PEM"),
					Map.entry("ssl.truststore.location", this.authorities.toAbsolutePath().toString()),
					Map.entry("ssl.client.auth", "required"), Map.entry("ssl.protocol", "TLSv1.3"),
					Map.entry("ssl.enabled.protocols", "TLSv1.3"),
					// Identities are services, not host names: the certificate's issuer
					// and name are what is checked.
					Map.entry("ssl.endpoint.identification.algorithm", ""),
					Map.entry("ssl.principal.mapping.rules", PRINCIPAL_RULES),
					Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
					Map.entry("super.users",
							String.join(";", this.superUsers.stream().map((user) -> "User:" + user).toList())));
		}

	}

	/**
	 * Starts a broker as {@link #start(Path, int, int, Duration)} does, with mutual TLS
	 * on every listener when {@code tls} is not null (plain text otherwise).
	 */
	public static EmbeddedKafka start(Path logDir, int brokerPort, int controllerPort, Duration shareHeartbeat, Tls tls)
			throws Exception {
		Files.createDirectories(logDir);
		String dir = logDir.toAbsolutePath().toString();
		if (!Files.exists(logDir.resolve("meta.properties"))) {
			new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
				.setNodeId(1)
				.setClusterId(Uuid.randomUuid().toString())
				.setDirectories(List.of(dir))
				.setMetadataLogDirectory(dir)
				.setControllerListenerName("CONTROLLER")
				.setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
				.setSupportedFeatures(Feature.PRODUCTION_FEATURES)
				.setUnstableFeatureVersionsEnabled(false)
				.run();
		}
		Properties config = new Properties();
		config.putAll(Map.ofEntries(Map.entry("process.roles", "broker,controller"), Map.entry("node.id", "1"),
				Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
				Map.entry("listeners",
						"PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
				Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
				Map.entry("controller.listener.names", "CONTROLLER"),
				Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
				Map.entry("inter.broker.listener.name", "PLAINTEXT"), Map.entry("log.dirs", dir),
				Map.entry("auto.create.topics.enable", "false"), Map.entry("num.partitions", "6"),
				// Events are the source of truth for replays (analytics rebuild): keep
				// them.
				Map.entry("log.retention.ms", "-1"), Map.entry("offsets.topic.replication.factor", "1"),
				Map.entry("offsets.topic.num.partitions", "6"),
				Map.entry("transaction.state.log.replication.factor", "1"),
				Map.entry("transaction.state.log.min.isr", "1"),
				Map.entry("share.coordinator.state.topic.replication.factor", "1"),
				Map.entry("share.coordinator.state.topic.min.isr", "1"),
				Map.entry("group.share.min.heartbeat.interval.ms", "500"),
				Map.entry("group.share.heartbeat.interval.ms", Long.toString(shareHeartbeat.toMillis())),
				Map.entry("group.initial.rebalance.delay.ms", "0"),
				// Sized for the laptop it shares with the whole platform, not a broker
				// host (defaults 3 and 8 a listener, 4 group coordinator threads): every
				// idle one of these threads wakes three to five times a second, and two
				// cores run no more than two at once anyway.
				Map.entry("num.network.threads", "1"), Map.entry("num.io.threads", "2"),
				Map.entry("group.coordinator.threads", "1"),
				// The active controller appends a no-op record to the metadata log every
				// 500 ms by default, so that other controllers and brokers can tell how
				// far behind they are. This broker is its own and only controller: nobody
				// is behind, and each no-op was a metadata-log write, flush and
				// publication twice a second at rest.
				Map.entry("metadata.max.idle.interval.ms", "0")));
		if (tls != null) {
			config.putAll(tls.brokerConfig(brokerPort, controllerPort));
		}
		KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
		server.startup();
		return new EmbeddedKafka(server, ((tls != null) ? uriHost(tls.advertised()) : "127.0.0.1") + ":" + brokerPort);
	}

	/** An address as a URI's host: IPv6 literals in brackets. */
	private static String uriHost(String address) {
		return (address.contains(":") && !address.startsWith("[")) ? "[" + address + "]" : address;
	}

	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	@Override
	public void close() {
		this.server.shutdown();
		this.server.awaitShutdown();
	}

}
