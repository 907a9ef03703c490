package dev.switchboard.launcher.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One database per service on a PostgreSQL server, created when missing.
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
				create.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
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
