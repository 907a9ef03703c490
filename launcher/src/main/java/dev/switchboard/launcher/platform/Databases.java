package dev.switchboard.launcher.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One database per service on a PostgreSQL server, created when missing, owned by the
 * service's own role when it has one.
 */
public final class Databases {

	private final String serverUrl;

	private final Properties credentials;

	/**
	 * @param serverUrl a JDBC URL of any database on the server, possibly with user and
	 * password parameters
	 */
	public Databases(String serverUrl, String user, String password) {
		this.serverUrl = serverUrl;
		this.credentials = new Properties();
		if (user != null) {
			this.credentials.setProperty("user", user);
		}
		if (password != null) {
			this.credentials.setProperty("password", password);
		}
	}

	public void ensure(String name) throws SQLException {
		ensure(name, null);
	}

	/**
	 * Creates database {@code name} when missing; with an {@code owner}, makes that role
	 * (when missing) the owner of the database and of everything in its {@code public}
	 * schema, and the only role besides superusers that may connect to it. A database
	 * made before roles existed is handed over the same way.
	 */
	public void ensure(String name, String owner) throws SQLException {
		ensureDatabase(name);
		if (owner == null) {
			return;
		}
		String database = quoted(name);
		String role = quoted(owner);
		try (Connection c = DriverManager.getConnection(this.serverUrl, this.credentials);
				Statement s = c.createStatement()) {
			s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + owner.replace("'", "")
					+ "') THEN CREATE ROLE " + role + " LOGIN; END IF; END $$");
			s.execute("ALTER DATABASE " + database + " OWNER TO " + role);
			s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
			s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + role);
		}
		try (Connection c = DriverManager.getConnection(urlOf(name), this.credentials);
				Statement s = c.createStatement()) {
			s.execute("ALTER SCHEMA public OWNER TO " + role);
			// Tables, views and sequences of their own (a column's sequence follows its
			// table) made by another role: the tables of a database created before roles.
			s.execute("DO $$ DECLARE r record; BEGIN FOR r IN SELECT c.oid::regclass AS relation FROM pg_class c "
					+ "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
					+ "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relowner <> " + literal(owner)
					+ "::regrole AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
					+ "AND d.deptype IN ('a', 'i'))) LOOP EXECUTE format('ALTER TABLE %s OWNER TO %I', r.relation, "
					+ literal(owner) + "); END LOOP; END $$");
		}
	}

	private static String quoted(String identifier) {
		return "\"" + identifier.replace("\"", "") + "\"";
	}

	private static String literal(String value) {
		return "'" + value.replace("'", "") + "'";
	}

	private void ensureDatabase(String name) throws SQLException {
		try (Connection c = DriverManager.getConnection(this.serverUrl, this.credentials)) {
			try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
				exists.setString(1, name);
				try (ResultSet rs = exists.executeQuery()) {
					if (rs.next()) {
						return;
					}
				}
			}
			try (Statement create = c.createStatement()) {
				create.execute("CREATE DATABASE " + quoted(name));
			}
		}
	}

	/**
	 * A connection to {@code url} (one of {@link #urlOf}) with this server's credentials.
	 */
	public Connection connect(String url) throws SQLException {
		return DriverManager.getConnection(url, this.credentials);
	}

	/**
	 * The server URL with its database replaced by {@code name}, keeping any parameters.
	 */
	public String urlOf(String name) {
		String rest = this.serverUrl.substring("jdbc:postgresql://".length());
		int slash = rest.indexOf('/');
		int query = rest.indexOf('?');
		String hosts = (slash >= 0) ? rest.substring(0, slash) : ((query >= 0) ? rest.substring(0, query) : rest);
		String params = (query >= 0) ? rest.substring(query) : "";
		return "jdbc:postgresql://" + hosts + "/" + name + params;
	}

	public String serverUrl() {
		return this.serverUrl;
	}

	public String user() {
		return this.credentials.getProperty("user");
	}

	public String password() {
		return this.credentials.getProperty("password");
	}

}
