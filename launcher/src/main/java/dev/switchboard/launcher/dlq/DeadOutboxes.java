package dev.switchboard.launcher.dlq;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.launcher.platform.Databases;
import dev.switchboard.launcher.platform.ServiceSpec;

/**
 * The dead-letter channels {@code outbox.<service>}: the rows a service's outbox relay
 * set aside in {@code platform.dead_outbox} because the broker refuses them for good (too
 * large, a queue the service does not declare). They live in the service's database, not
 * on a broker: {@code replay} moves them back into the outbox, whose relay sends them
 * again (once whatever refused them is fixed), {@code purge} deletes them.
 */
final class DeadOutboxes {

	static final String PREFIX = "outbox.";

	/**
	 * The channel on which the relays of other instances listen for new rows
	 * (OutboxRelay.CHANNEL).
	 */
	private static final String RELAY_CHANNEL = "switchboard_outbox";

	private static final String COLUMNS = "id, kind, topic, record_key, type, payload, created_at, priority, expires_at,"
			+ " dataschema, traceparent";

	private final Databases databases;

	DeadOutboxes(Databases databases) {
		this.databases = databases;
	}

	static boolean isChannel(String channel) {
		return channel.startsWith(PREFIX);
	}

	/**
	 * How many dead rows each service with a database holds; services with none are left
	 * out.
	 */
	Map<String, Long> counts() throws SQLException {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (ServiceSpec service : ServiceSpec.PLATFORM) {
			if (!service.database()) {
				continue;
			}
			try (Connection c = connect(service);
					Statement count = c.createStatement();
					ResultSet rs = count.executeQuery("SELECT count(*) FROM platform.dead_outbox")) {
				rs.next();
				if (rs.getLong(1) > 0) {
					counts.put(PREFIX + service.name(), rs.getLong(1));
				}
			}
			catch (SQLException ex) {
				// No such table: a service that never started.
				if (!"42P01".equals(ex.getSQLState())) {
					throw ex;
				}
			}
		}
		return counts;
	}

	void show(String channel, int limit, PrintStream out) throws SQLException {
		try (Connection c = connect(serviceOf(channel)); PreparedStatement rows = c.prepareStatement("""
				SELECT seq, id, kind, topic, record_key, type, length(payload), created_at, failed_at, reason,
				    count(*) OVER () FROM platform.dead_outbox ORDER BY seq LIMIT ?""")) {
			rows.setInt(1, limit);
			long total = 0;
			try (ResultSet rs = rows.executeQuery()) {
				while (rs.next()) {
					total = rs.getLong(11);
					out.printf("outbox row %d: %s %s to %s %s, key %s, %d bytes%n", rs.getLong(1), rs.getString(6),
							rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(7));
					out.printf("  written %s, set aside %s%n", rs.getTimestamp(8).toInstant(),
							rs.getTimestamp(9).toInstant());
					out.printf("  reason: %s%n", rs.getString(10));
				}
			}
			out.printf("%d record%s%n", total, (total == 1) ? "" : "s");
		}
	}

	/**
	 * Moves the rows back into the outbox (new sequence numbers, same event ids) and
	 * wakes the relay.
	 */
	void replay(String channel, PrintStream out) throws SQLException {
		try (Connection c = connect(serviceOf(channel))) {
			c.setAutoCommit(false);
			int moved;
			try (Statement replay = c.createStatement()) {
				moved = replay.executeUpdate(
						"WITH dead AS (DELETE FROM platform.dead_outbox RETURNING *)" + " INSERT INTO platform.outbox ("
								+ COLUMNS + ") SELECT " + COLUMNS + " FROM dead ORDER BY seq");
				replay.execute("NOTIFY " + RELAY_CHANNEL);
			}
			c.commit();
			out.printf("replayed %d record%s from %s into its outbox%n", moved, (moved == 1) ? "" : "s", channel);
		}
	}

	void purge(String channel, PrintStream out) throws SQLException {
		try (Connection c = connect(serviceOf(channel)); Statement purge = c.createStatement()) {
			int removed = purge.executeUpdate("DELETE FROM platform.dead_outbox");
			out.printf("purged %d record%s from %s%n", removed, (removed == 1) ? "" : "s", channel);
		}
	}

	private static ServiceSpec serviceOf(String channel) {
		String name = channel.substring(PREFIX.length());
		return ServiceSpec.PLATFORM.stream()
			.filter((s) -> s.name().equals(name) && s.database())
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"no service " + name + " with an outbox; the outbox channels are "
							+ ServiceSpec.PLATFORM.stream()
								.filter(ServiceSpec::database)
								.map((s) -> PREFIX + s.name())
								.toList()));
	}

	private Connection connect(ServiceSpec service) throws SQLException {
		return this.databases.connect(this.databases.urlOf(service.databaseName()));
	}

}
