package dev.switchboard.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmbeddedInfrastructureTest {

	@TempDir
	Path dir;

	@Test
	void kafkaKeepsRecordsAcrossRestartOnTheSameDirectory() throws Exception {
		Path logDir = this.dir.resolve("kafka");
		try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, FreePorts.next(), FreePorts.next())) {
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
				admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
			}
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(
					Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"), new StringSerializer(),
					new StringSerializer())) {
				producer.send(new ProducerRecord<>("t", "k", "kept")).get();
			}
		}
		// Different ports on restart: the launcher cannot always get the old ones back.
		try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, FreePorts.next(), FreePorts.next())) {
			Properties props = new Properties();
			props.putAll(Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "g", "auto.offset.reset",
					"earliest"));
			try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
					new StringDeserializer())) {
				consumer.subscribe(List.of("t"));
				ConsumerRecords<String, String> records = ConsumerRecords.empty();
				long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
				while (records.isEmpty() && System.nanoTime() < deadline) {
					records = consumer.poll(Duration.ofMillis(500));
				}
				assertThat(records.iterator().next().value()).isEqualTo("kept");
			}
		}
	}

	@Test
	void kafkaWritesNothingToItsMetadataLogAtRest() throws Exception {
		try (EmbeddedKafka kafka = EmbeddedKafka.start(this.dir.resolve("kafka"), FreePorts.next(), FreePorts.next());
				Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
			long settled = metadataHighWatermark(admin);
			// With Kafka's default the controller appends a no-op record every 500 ms.
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.until(() -> metadataHighWatermark(admin) == settled);
		}
	}

	private static long metadataHighWatermark(Admin admin) throws Exception {
		return admin.describeMetadataQuorum().quorumInfo().get().highWatermark();
	}

	@Test
	void postgresKeepsDataAcrossRestartOnTheSameDirectory() throws Exception {
		Path dataDir = this.dir.resolve("pg");
		try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir, FreePorts.next());
				Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "");
				Statement s = c.createStatement()) {
			s.execute("CREATE TABLE kept (v TEXT)");
			s.execute("INSERT INTO kept VALUES ('yes')");
		}
		try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir, FreePorts.next());
				Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
			assertThat(rs.next()).isTrue();
			assertThat(rs.getString(1)).isEqualTo("yes");
		}
	}

	@Test
	void postgresIsDurable() throws Exception {
		try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(this.dir.resolve("pg"), FreePorts.next());
				Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "")) {
			// zonky passes -F (fsync off) on the command line; the server setting must
			// win.
			assertThat(setting(c, "fsync")).isEqualTo("on");
			assertThat(setting(c, "synchronous_commit")).isEqualTo("on");
			assertThat(setting(c, "full_page_writes")).isEqualTo("on");
		}
	}

	private static String setting(Connection c, String name) throws Exception {
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
			rs.next();
			return rs.getString(1);
		}
	}

	/**
	 * Beyond loopback PostgreSQL admits any client address, and only over TLS with a
	 * platform certificate; on loopback alone, only this machine's.
	 */
	@Test
	void postgresListensBeyondLoopbackOnlyForCertificates() throws Exception {
		EmbeddedPostgresServer.Tls loopback = new EmbeddedPostgresServer.Tls(this.dir.resolve("pg.pem"),
				this.dir.resolve("trust.pem"), this.dir.resolve("loopback"), Map.of("order", "order"), Map.of());
		loopback.configure(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder());
		assertThat(loopback.listenAddresses()).isEqualTo("localhost");
		assertThat(Files.readAllLines(this.dir.resolve("loopback/pg_hba.conf")))
			.filteredOn((line) -> !line.startsWith("#"))
			.containsExactly("hostssl all all 127.0.0.1/32 cert map=switchboard",
					"hostssl all all ::1/128 cert map=switchboard");

		EmbeddedPostgresServer.Tls everywhere = new EmbeddedPostgresServer.Tls(this.dir.resolve("pg.pem"),
				this.dir.resolve("trust.pem"), this.dir.resolve("everywhere"), Map.of("order", "order"), Map.of(),
				"0.0.0.0");
		everywhere.configure(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder());
		assertThat(everywhere.listenAddresses()).isEqualTo("*");
		assertThat(Files.readAllLines(this.dir.resolve("everywhere/pg_hba.conf")))
			.filteredOn((line) -> !line.startsWith("#"))
			.as("no plain host line, no password method")
			.containsExactly("hostssl all all all cert map=switchboard",
					"hostssl all all ::1/128 cert map=switchboard");

		assertThat(new EmbeddedPostgresServer.Tls(this.dir.resolve("pg.pem"), this.dir.resolve("trust.pem"),
				this.dir.resolve("one"), Map.of(), Map.of(), "10.1.2.3")
			.listenAddresses()).as("loopback stays, for this machine's clients").isEqualTo("localhost,10.1.2.3");
	}

	@Test
	void mailSinkKeepsEveryMessageItReceives() throws Exception {
		try (MailSink sink = MailSink.start(this.dir.resolve("mail"), FreePorts.next())) {
			JavaMailSenderImpl sender = new JavaMailSenderImpl();
			sender.setHost("127.0.0.1");
			sender.setPort(sink.port());
			SimpleMailMessage message = new SimpleMailMessage();
			message.setFrom("shop@switchboard.test");
			message.setTo("c-1@customers.switchboard.test");
			message.setSubject("Order received");
			message.setText("Thanks");
			sender.send(message);

			assertThat(sink.received()).isEqualTo(1);
			try (var files = Files.list(sink.directory())) {
				Path eml = files.findFirst().orElseThrow();
				assertThat(Files.readString(eml)).contains("Subject: Order received");
			}
		}
	}

}
