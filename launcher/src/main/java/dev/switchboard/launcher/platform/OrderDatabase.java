package dev.switchboard.launcher.platform;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Read access to the order service's database, to learn after a load run how and when
 * each order ended without asking the platform under measurement while it runs.
 */
public final class OrderDatabase {

	private final Databases databases;

	private final String url;

	private OrderDatabase(Databases databases) {
		this.databases = databases;
		this.url = databases.urlOf("switchboard_order");
	}

	/** The order database of the platform running on {@code runDir}, or {@code null}. */
	public static OrderDatabase of(Path runDir) {
		return PlatformRun.read(runDir).map((run) -> new OrderDatabase(run.databases())).orElse(null);
	}

	/** An order's status and when it was last written. */
	public record Outcome(String status, Instant at) {

		public boolean terminal() {
			return "COMPLETED".equals(this.status) || "CANCELLED".equals(this.status);
		}

	}

	public long countUnfinished(List<String> ids) throws SQLException {
		try (Connection c = this.databases.connect(this.url);
				PreparedStatement query = c.prepareStatement(
						"SELECT count(*) FROM orders WHERE id = ANY (?) AND status NOT IN ('COMPLETED', 'CANCELLED')")) {
			query.setArray(1, c.createArrayOf("text", ids.toArray()));
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				return rs.getLong(1) + (ids.size() - count(c, ids));
			}
		}
	}

	private static long count(Connection c, List<String> ids) throws SQLException {
		try (PreparedStatement query = c.prepareStatement("SELECT count(*) FROM orders WHERE id = ANY (?)")) {
			query.setArray(1, c.createArrayOf("text", ids.toArray()));
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	public Map<String, Outcome> outcomes(List<String> ids) throws SQLException {
		Map<String, Outcome> outcomes = new HashMap<>();
		try (Connection c = this.databases.connect(this.url);
				PreparedStatement query = c
					.prepareStatement("SELECT id, status, updated_at FROM orders WHERE id = ANY (?)")) {
			Array array = c.createArrayOf("text", ids.toArray());
			query.setArray(1, array);
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					outcomes.put(rs.getString(1), new Outcome(rs.getString(2), rs.getTimestamp(3).toInstant()));
				}
			}
		}
		return outcomes;
	}

}
