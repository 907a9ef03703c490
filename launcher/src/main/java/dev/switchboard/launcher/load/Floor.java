package dev.switchboard.launcher.load;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.switchboard.embedded.CertificateAuthority;
import dev.switchboard.launcher.platform.Databases;
import dev.switchboard.launcher.platform.InternalChannels;
import dev.switchboard.launcher.platform.OperatorHttp;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.RunningServices;

/**
 * The floor: what each unit of an order's work costs on this machine, measured against
 * the running platform's own PostgreSQL, Kafka broker, services and mail sink. Each unit
 * is repeated (after a warm-up) while the CPU of the client (this process) and of the
 * server process is read from /proc; the server's idle CPU over the same time is taken
 * out.
 */
final class Floor {

	/** One unit's cost: CPU seconds per unit (client and server), wall time per unit. */
	record Unit(String name, String description, long count, ProcessCpu.Usage client, ProcessCpu.Usage server,
			Duration wall) {

		double cpuPerUnit() {
			return (this.client.total() + this.server.total()) / this.count;
		}

		double wallPerUnit() {
			return this.wall.toNanos() / 1e9 / this.count;
		}

	}

	private static final byte[] PAYLOAD = new byte[200];

	private final PlatformRun run;

	private final Path dataDir;

	private final ProcessCpu cpu;

	private final Map<String, ProcessCpu.Usage> idleCores;

	private final int scale;

	/**
	 * @param idleCores each process group's idle CPU, in CPU seconds per second
	 * @param scale repetitions of each unit, in hundreds (more: a steadier figure, a
	 * longer run)
	 */
	Floor(PlatformRun run, Path dataDir, ProcessCpu cpu, Map<String, ProcessCpu.Usage> idleCores, int scale) {
		this.run = run;
		this.dataDir = dataDir;
		this.cpu = cpu;
		this.idleCores = idleCores;
		this.scale = scale;
	}

	/** Measures every unit, handing each to {@code measured} as soon as it is known. */
	List<Unit> measureAll(Consumer<Unit> measured) throws Exception {
		List<Unit> units = new ArrayList<>();
		Consumer<Unit> add = (unit) -> {
			units.add(unit);
			measured.accept(unit);
		};
		add.accept(postgresCommit());
		add.accept(postgresBatchedCommit());
		add.accept(kafkaDelivery(0, 1000));
		add.accept(kafkaDelivery(5, 1000));
		add.accept(kafkaDelivery(5, 0));
		add.accept(grpcUnary());
		MutualTlsCost tls = new MutualTlsCost();
		try {
			add.accept(tls.call("grpc.bare", false));
			add.accept(tls.call("grpc.bare.mtls", true));
			add.accept(tls.handshake());
		}
		finally {
			tls.close();
		}
		add.accept(httpJson());
		if (this.run.smtp().isPresent()) {
			add.accept(smtpSend(this.run.smtp().get()));
		}
		return units;
	}

	@FunctionalInterface
	private interface Work {

		void run(long count) throws Exception;

	}

	/**
	 * Runs {@code work} {@code count} times to warm up (this JVM's JIT compiles the
	 * client side meanwhile, which would otherwise be counted), then measures it
	 * {@code count} times.
	 */
	private Unit measure(String name, String description, String server, long count, Work work) throws Exception {
		work.run(count);
		Map<String, ProcessCpu.Usage> before = this.cpu.read();
		long start = System.nanoTime();
		work.run(count);
		long elapsed = System.nanoTime() - start;
		Map<String, ProcessCpu.Usage> used = ProcessCpu.difference(this.cpu.read(), before);
		ProcessCpu.Usage idle = this.idleCores.getOrDefault(server, ProcessCpu.Usage.ZERO).times(elapsed / 1e9);
		ProcessCpu.Usage serverUsage = used.getOrDefault(server, ProcessCpu.Usage.ZERO).minus(idle);
		return new Unit(name, description, count, used.get(Bench.CLIENT), serverUsage, Duration.ofNanos(elapsed));
	}

	private Unit postgresCommit() throws Exception {
		Databases databases = this.run.databases();
		databases.ensure("bench_floor");
		try (Connection c = databases.connect(databases.urlOf("bench_floor"))) {
			prepareTable(c);
			c.setAutoCommit(false);
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO floor_rows (id, payload) VALUES (?, ?)")) {
				return measure("pg.commit", "one-row INSERT + COMMIT (fsync as configured), one connection",
						Bench.POSTGRES, 20L * this.scale, (n) -> {
							for (long i = 0; i < n; i++) {
								insert.setObject(1, UUID.randomUUID());
								insert.setBytes(2, PAYLOAD);
								insert.executeUpdate();
								c.commit();
							}
						});
			}
			finally {
				c.setAutoCommit(true);
				truncate(c);
			}
		}
	}

	private Unit postgresBatchedCommit() throws Exception {
		Databases databases = this.run.databases();
		int rows = 20;
		String url = databases.urlOf("bench_floor");
		try (Connection c = databases.connect(url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true")) {
			c.setAutoCommit(false);
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO floor_rows (id, payload) VALUES (?, ?)")) {
				Unit perCommit = measure("pg.commit.batch20", "20-row batched INSERT + COMMIT; cost per row",
						Bench.POSTGRES, 20L * this.scale, (n) -> {
							for (long i = 0; i < n; i++) {
								for (int r = 0; r < rows; r++) {
									insert.setObject(1, UUID.randomUUID());
									insert.setBytes(2, PAYLOAD);
									insert.addBatch();
								}
								insert.executeBatch();
								c.commit();
							}
						});
				return new Unit(perCommit.name(), perCommit.description(), perCommit.count() * rows, perCommit.client(),
						perCommit.server(), perCommit.wall());
			}
			finally {
				c.setAutoCommit(true);
				truncate(c);
			}
		}
	}

	private static void prepareTable(Connection c) throws SQLException {
		try (Statement s = c.createStatement()) {
			s.execute("CREATE TABLE IF NOT EXISTS floor_rows (id UUID PRIMARY KEY, payload BYTEA NOT NULL)");
		}
		truncate(c);
	}

	private static void truncate(Connection c) throws SQLException {
		try (Statement s = c.createStatement()) {
			s.execute("TRUNCATE floor_rows");
		}
	}

	/**
	 * A record produced with acks=all by an idempotent producer and consumed by one
	 * consumer group: paced at {@code rate} records/s (1000 is the platform's record rate
	 * at about 50 orders/s, where most requests carry one record), or as fast as they go
	 * when {@code rate} is 0 (many records a request: what a record itself costs).
	 */
	private Unit kafkaDelivery(int lingerMs, int rate) throws Exception {
		String topic = "switchboard.bench.floor." + lingerMs + "." + rate + "." + System.currentTimeMillis();
		long intervalNanos = (rate > 0) ? 1_000_000_000L / rate : 0;
		Map<String, Object> common = PlatformRun.kafkaClient(this.dataDir.resolve("run"));
		try (Admin admin = Admin.create(common)) {
			admin.createTopics(List.of(new NewTopic(topic, 6, (short) -1))).all().get(30, TimeUnit.SECONDS);
			Properties producerConfig = new Properties();
			producerConfig.putAll(common);
			producerConfig
				.putAll(Map.of("acks", "all", "enable.idempotence", "true", "linger.ms", Integer.toString(lingerMs)));
			Properties consumerConfig = new Properties();
			consumerConfig.putAll(common);
			consumerConfig.putAll(Map.of("group.id", topic, "auto.offset.reset", "earliest", "enable.auto.commit",
					"true", "auto.commit.interval.ms", "1000"));
			AtomicLong received = new AtomicLong();
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
					new ByteArraySerializer());
					KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig,
							new StringDeserializer(), new ByteArrayDeserializer())) {
				consumer.subscribe(List.of(topic));
				while (consumer.assignment().isEmpty()) {
					consumer.poll(Duration.ofMillis(100));
				}
				CompletableFuture<Void> consuming = new CompletableFuture<>();
				Thread reader = Thread.ofPlatform().name("floor-consumer").start(() -> {
					try {
						while (!consuming.isDone()) {
							ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
							received.addAndGet(records.count());
						}
					}
					catch (RuntimeException ex) {
						consuming.completeExceptionally(ex);
					}
				});
				try {
					return measure("kafka.delivery.linger" + lingerMs + ((rate > 0) ? "" : ".batched"),
							"record produced (acks=all, idempotent, linger.ms=" + lingerMs
									+ ") and consumed by one group, " + ((rate > 0) ? rate + " records/s" : "unpaced"),
							Bench.KAFKA, ((rate > 0) ? 30L : 100L) * this.scale, (n) -> {
								long target = received.get() + n;
								long start = System.nanoTime();
								for (long i = 0; i < n; i++) {
									long due = start + i * intervalNanos;
									long wait = due - System.nanoTime();
									if (wait > 0) {
										LockSupport.parkNanos(wait);
									}
									producer.send(new ProducerRecord<>(topic, Long.toString(i % 64), PAYLOAD));
								}
								producer.flush();
								long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
								while (received.get() < target && System.nanoTime() < deadline && !consuming.isDone()) {
									LockSupport.parkNanos(1_000_000);
								}
								if (received.get() < target) {
									throw new IllegalStateException("the floor's consumer did not receive its records");
								}
							});
				}
				finally {
					consuming.complete(null);
					reader.join();
				}
			}
			finally {
				admin.deleteTopics(List.of(topic));
				admin.deleteConsumerGroups(List.of(topic));
			}
		}
	}

	/**
	 * The standard gRPC health check (unary) on the inventory service, one call at a
	 * time.
	 */
	private Unit grpcUnary() throws Exception {
		int port = new Ports(this.dataDir).known("inventory.grpc");
		ManagedChannel channel = InternalChannels.asOperator(this.dataDir.resolve("run"), port);
		try {
			HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
			HealthCheckRequest request = HealthCheckRequest.getDefaultInstance();
			return measure("grpc.unary", "unary gRPC call (health check) to the inventory service, one at a time",
					"inventory", 30L * this.scale, (n) -> {
						for (long i = 0; i < n; i++) {
							health.withDeadlineAfter(5, TimeUnit.SECONDS).check(request);
						}
					});
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	/**
	 * What mutual TLS adds to a gRPC hop, on a bare grpc-java server in this process (the
	 * standard health service, nothing of the platform's): the same unary call in plain
	 * text and over mutual TLS with ECDSA P-256 certificates like the platform's (from an
	 * authority made for the measurement), and a new mutually authenticated connection
	 * with its first call. Client and server are both this process, so their CPU is in
	 * the client column.
	 */
	private final class MutualTlsCost implements AutoCloseable {

		private static final String NO_SERVER = "(this process)";

		private final CertificateAuthority authority = CertificateAuthority.create("Bench CA");

		private final byte[] identity = this.authority.issue("bench", Duration.ofHours(1))
			.pem()
			.getBytes(StandardCharsets.US_ASCII);

		private final byte[] trust = this.authority.certificatePem().getBytes(StandardCharsets.US_ASCII);

		private final Server plain;

		private final Server mutual;

		MutualTlsCost() throws IOException {
			this.plain = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
				.addService(new HealthStatusManager().getHealthService())
				.build()
				.start();
			this.mutual = Grpc
				.newServerBuilderForPort(0, TlsServerCredentials.newBuilder()
					.keyManager(new ByteArrayInputStream(this.identity), new ByteArrayInputStream(this.identity))
					.trustManager(new ByteArrayInputStream(this.trust))
					.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
					.build())
				.addService(new HealthStatusManager().getHealthService())
				.build()
				.start();
		}

		private ManagedChannel channel(boolean tls) throws IOException {
			ChannelCredentials credentials = tls ? TlsChannelCredentials.newBuilder()
				.keyManager(new ByteArrayInputStream(this.identity), new ByteArrayInputStream(this.identity))
				.trustManager(new ByteArrayInputStream(this.trust))
				.build() : InsecureChannelCredentials.create();
			return Grpc
				.newChannelBuilderForAddress("127.0.0.1", (tls ? this.mutual : this.plain).getPort(), credentials)
				.build();
		}

		Unit call(String name, boolean tls) throws Exception {
			ManagedChannel channel = channel(tls);
			try {
				HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
				HealthCheckRequest request = HealthCheckRequest.getDefaultInstance();
				return measure(name,
						"unary gRPC call (health check) to a bare grpc-java server, one at a time, "
								+ (tls ? "over mutual TLS" : "in plain text"),
						NO_SERVER, 30L * Floor.this.scale, (n) -> {
							for (long i = 0; i < n; i++) {
								health.withDeadlineAfter(5, TimeUnit.SECONDS).check(request);
							}
						});
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}

		Unit handshake() throws Exception {
			HealthCheckRequest request = HealthCheckRequest.getDefaultInstance();
			return measure("grpc.bare.mtls.connect",
					"new mutual TLS connection to the bare server and its first call (handshake, ECDSA P-256)",
					NO_SERVER, 2L * Floor.this.scale, (n) -> {
						for (long i = 0; i < n; i++) {
							ManagedChannel channel = channel(true);
							try {
								HealthGrpc.newBlockingStub(channel)
									.withDeadlineAfter(5, TimeUnit.SECONDS)
									.check(request);
							}
							finally {
								channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
							}
						}
					});
		}

		@Override
		public void close() {
			this.plain.shutdownNow();
			this.mutual.shutdownNow();
		}

	}

	/**
	 * A small JSON GET over a kept-alive HTTP/1.1 connection to the inventory service (as
	 * the operator, over mutual TLS when the platform runs with it).
	 */
	private Unit httpJson() throws Exception {
		int port = Integer
			.parseInt(Files.readString(RunningServices.portFile(this.dataDir.resolve("run"), "inventory")).strip());
		URI uri = OperatorHttp.uri(this.dataDir.resolve("run"), port, "/actuator/health/liveness");
		try (HttpClient http = OperatorHttp.client(this.dataDir.resolve("run"))
			.version(HttpClient.Version.HTTP_1_1)
			.build()) {
			HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "application/json").build();
			return measure("http.json", "HTTP/1.1 GET of a small JSON document (liveness) from the inventory service",
					"inventory", 30L * this.scale, (n) -> {
						for (long i = 0; i < n; i++) {
							HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
							if (response.statusCode() != 200) {
								throw new IllegalStateException("liveness answered " + response.statusCode());
							}
						}
					});
		}
	}

	/**
	 * An email sent over one kept-open SMTP connection to the platform's mail sink;
	 * removed afterwards.
	 */
	private Unit smtpSend(String smtp) {
		String[] hostPort = smtp.split(":");
		Properties properties = new Properties();
		properties.put("mail.smtp.host", hostPort[0]);
		properties.put("mail.smtp.port", hostPort[1]);
		Session session = Session.getInstance(properties);
		Set<Path> before = mailFiles();
		try (Transport transport = session.getTransport("smtp")) {
			transport.connect();
			MimeMessage message = new MimeMessage(session);
			message.setFrom(new InternetAddress("bench@switchboard.test"));
			message.setRecipient(Message.RecipientType.TO, new InternetAddress("floor@switchboard.test"));
			message.setSubject("Switchboard bench: SMTP floor");
			message.setText("x".repeat(400));
			message.saveChanges();
			return measure("smtp.send", "email (400 bytes) over a kept-open SMTP connection to the mail sink",
					Bench.LAUNCHER, 5L * this.scale, (n) -> {
						for (long i = 0; i < n; i++) {
							transport.sendMessage(message, message.getAllRecipients());
						}
					});
		}
		catch (Exception ex) {
			throw new IllegalStateException("SMTP floor failed: " + ex.getMessage(), ex);
		}
		finally {
			Set<Path> after = mailFiles();
			after.removeAll(before);
			for (Path file : after) {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					// A leftover test email in the sink's directory; harmless.
				}
			}
		}
	}

	private Set<Path> mailFiles() {
		Set<Path> files = new HashSet<>();
		this.run.mailDirectory().ifPresent((dir) -> {
			try (Stream<Path> list = Files.list(dir)) {
				list.forEach(files::add);
			}
			catch (IOException ex) {
				// No directory yet: no files.
			}
		});
		return files;
	}

}
