package dev.switchboard.launcher.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

import dev.switchboard.launcher.platform.OperatorHttp;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.platform.ServiceSpec;

/**
 * The platform's own counts of the work it did, read from where the work happened:
 * PostgreSQL's statistics (commits in the services' databases, WAL flushes), the Kafka
 * broker's metrics (records produced, requests by kind, share-group acknowledgements;
 * over JMX, attached to the embedded broker's own JVM), the services' Micrometer meters
 * (records consumed by consumer groups, gRPC calls served) and the mail sink's directory
 * (emails). Cumulative; {@link #difference} turns two reads into the work between them.
 */
final class PlatformCounters implements AutoCloseable {

	private static final Pattern COUNT = Pattern
		.compile("\"statistic\"\\s*:\\s*\"COUNT\"\\s*,\\s*\"value\"\\s*:\\s*([0-9.Ee+-]+)");

	private final PlatformRun run;

	private final Path runDir;

	private final JMXConnector broker;

	/** Whether pg_stat_statements is there; {@code null} until first asked. */
	private Boolean statementsReadable;

	private final HttpClient http;

	PlatformCounters(PlatformRun run, Path runDir) {
		this.run = run;
		this.runDir = runDir;
		this.http = OperatorHttp.client(runDir).version(HttpClient.Version.HTTP_1_1).build();
		// The embedded broker runs in a process of its own (run/kafka.pid).
		Path brokerPid = RunningServices.pidFile(runDir, "kafka");
		this.broker = Files.exists(brokerPid) ? attach(pidIn(brokerPid)) : null;
	}

	boolean brokerMetrics() {
		return this.broker != null;
	}

	/**
	 * Every counter now, by name (e.g. {@code pg.commits},
	 * {@code kafka.requests.Produce}).
	 */
	Map<String, Double> read() {
		Map<String, Double> counts = new TreeMap<>();
		readPostgres(counts);
		readBroker(counts);
		readServices(counts);
		this.run.mailDirectory().ifPresent((dir) -> {
			try (Stream<Path> files = Files.list(dir)) {
				counts.put("emails", (double) files.count());
			}
			catch (IOException ex) {
				// No mail yet: no directory.
				counts.put("emails", 0.0);
			}
		});
		return counts;
	}

	static Map<String, Double> difference(Map<String, Double> later, Map<String, Double> earlier) {
		Map<String, Double> difference = new TreeMap<>();
		later.forEach((name, value) -> difference.put(name, value - earlier.getOrDefault(name, 0.0)));
		return difference;
	}

	private void readPostgres(Map<String, Double> counts) {
		try (Connection c = this.run.databases().connect(this.run.postgresUrl()); Statement s = c.createStatement()) {
			try (ResultSet rs = s.executeQuery("SELECT coalesce(sum(xact_commit), 0), coalesce(sum(xact_rollback), 0)"
					+ " FROM pg_stat_database WHERE datname LIKE 'switchboard\\_%'")) {
				rs.next();
				counts.put("pg.commits", rs.getDouble(1));
				counts.put("pg.rollbacks", rs.getDouble(2));
			}
			if (statements(s)) {
				try (ResultSet rs = s.executeQuery("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements p"
						+ " JOIN pg_database d ON d.oid = p.dbid WHERE d.datname LIKE 'switchboard\\_%'")) {
					rs.next();
					counts.put("pg.statements", rs.getDouble(1));
				}
			}
			try (ResultSet rs = s.executeQuery("SELECT wal_records, wal_write, wal_sync FROM pg_stat_wal")) {
				rs.next();
				counts.put("pg.wal.records", rs.getDouble(1));
				counts.put("pg.wal.writes", rs.getDouble(2));
				counts.put("pg.wal.syncs", rs.getDouble(3));
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot read PostgreSQL's statistics: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether pg_stat_statements can be read here (loaded by the server; the view made
	 * once).
	 */
	private boolean statements(Statement s) {
		if (this.statementsReadable == null) {
			try (ResultSet rs = s.executeQuery("SHOW shared_preload_libraries")) {
				rs.next();
				this.statementsReadable = rs.getString(1).contains("pg_stat_statements");
				if (this.statementsReadable) {
					s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
				}
			}
			catch (SQLException ex) {
				this.statementsReadable = false;
			}
		}
		return this.statementsReadable;
	}

	/**
	 * The statements run in the services' databases, by text, with how often each ran:
	 * cumulative, like the counters.
	 */
	Map<String, Double> statementCalls() {
		Map<String, Double> calls = new TreeMap<>();
		try (Connection c = this.run.databases().connect(this.run.postgresUrl()); Statement s = c.createStatement()) {
			if (!statements(s)) {
				return calls;
			}
			try (ResultSet rs = s.executeQuery("SELECT d.datname, p.query, sum(p.calls) FROM pg_stat_statements p"
					+ " JOIN pg_database d ON d.oid = p.dbid WHERE d.datname LIKE 'switchboard\\_%'"
					+ " GROUP BY d.datname, p.query")) {
				while (rs.next()) {
					String query = rs.getString(2).replaceAll("\\s+", " ").strip();
					calls.merge(rs.getString(1).substring("switchboard_".length()) + ": " + query, rs.getDouble(3),
							Double::sum);
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot read pg_stat_statements: " + ex.getMessage(), ex);
		}
		return calls;
	}

	private void readBroker(Map<String, Double> counts) {
		if (this.broker == null) {
			return;
		}
		try {
			MBeanServerConnection server = this.broker.getMBeanServerConnection();
			counts.put("kafka.records.produced",
					count(server, new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec")));
			double total = 0;
			for (ObjectName name : server
				.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
				String request = name.getKeyProperty("request");
				double value = count(server, name);
				counts.merge("kafka.requests." + request, value, Double::sum);
				// FetchConsumer and FetchFollower are kinds of Fetch, counted again
				// apart.
				if (!request.equals("FetchConsumer") && !request.equals("FetchFollower")) {
					total += value;
				}
			}
			counts.put("kafka.requests", total);
			double accepted = 0;
			for (ObjectName name : server.queryNames(
					new ObjectName("kafka.server:type=ShareGroupMetrics,name=RecordAcknowledgementsPerSec,*"), null)) {
				if ("accept".equalsIgnoreCase(name.getKeyProperty("ackType"))) {
					accepted += count(server, name);
				}
			}
			counts.put("kafka.records.consumed.share", accepted);
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot read the Kafka broker's metrics: " + ex.getMessage(), ex);
		}
	}

	private static double count(MBeanServerConnection server, ObjectName name) throws Exception {
		return ((Number) server.getAttribute(name, "Count")).doubleValue();
	}

	private void readServices(Map<String, Double> counts) {
		double consumed = 0;
		double grpc = 0;
		for (ServiceSpec spec : ServiceSpec.PLATFORM) {
			Integer port = port(spec.name());
			if (port == null) {
				continue;
			}
			consumed += meter(port, "kafka.consumer.fetch.manager.records.consumed.total");
			if (spec.grpc()) {
				grpc += meter(port, "grpc.server");
			}
		}
		counts.put("kafka.records.consumed.groups", consumed);
		counts.put("grpc.calls", grpc);
	}

	private Integer port(String service) {
		try {
			return RunningServices.managementPort(this.runDir, service);
		}
		catch (IOException | NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * A meter's COUNT (a counter's total or a timer's number of calls), 0 when it has
	 * none yet.
	 */
	private double meter(int port, String name) {
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(OperatorHttp.uri(this.runDir, port, "/actuator/metrics/" + name))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				return 0;
			}
			Matcher count = COUNT.matcher(response.body());
			return count.find() ? Double.parseDouble(count.group(1)) : 0;
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + name + " from port " + port + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted");
		}
	}

	private static long pidIn(Path file) {
		try {
			return Long.parseLong(Files.readString(file).strip());
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * A JMX connection to the embedded broker's JVM, or {@code null} when it cannot be
	 * attached to.
	 */
	private static JMXConnector attach(long pid) {
		try {
			VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
			String address;
			try {
				address = vm.startLocalManagementAgent();
			}
			finally {
				vm.detach();
			}
			return JMXConnectorFactory.connect(new JMXServiceURL(address));
		}
		catch (Exception | LinkageError ex) {
			return null;
		}
	}

	@Override
	public void close() {
		if (this.broker != null) {
			try {
				this.broker.close();
			}
			catch (IOException ex) {
				// Closing a local connection; nothing to keep.
			}
		}
	}

	/** The counters a report shows, in its order. */
	static Map<String, String> labels() {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("pg.commits", "database commits (pg_stat_database, the services' databases)");
		labels.put("pg.statements", "SQL statements (pg_stat_statements)");
		labels.put("pg.wal.syncs", "WAL flushes to disk (pg_stat_wal)");
		labels.put("kafka.records.produced", "Kafka records produced (broker)");
		labels.put("kafka.records.consumed.groups", "Kafka records consumed by consumer groups (services)");
		labels.put("kafka.records.consumed.share", "Kafka records accepted by share groups (broker)");
		labels.put("kafka.requests", "Kafka requests, all kinds (broker)");
		labels.put("kafka.requests.Produce", "  of which Produce");
		labels.put("kafka.requests.Fetch", "  of which Fetch");
		labels.put("kafka.requests.ShareFetch", "  of which ShareFetch");
		labels.put("kafka.requests.ShareAcknowledge", "  of which ShareAcknowledge");
		labels.put("kafka.requests.OffsetCommit", "  of which OffsetCommit");
		labels.put("grpc.calls", "gRPC calls served (every service serving gRPC)");
		labels.put("emails", "emails received by the mail sink");
		return labels;
	}

}
