package dev.switchboard.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (the official binaries, unpacked from a Maven artifact) run as
 * a child process with its data in a directory that survives restarts. As root it runs
 * the server as an unprivileged user, since PostgreSQL refuses to run as root.
 *
 * <p>
 * Durable, always: a commit returns once its write-ahead log is on disk, so a transaction
 * that committed survives a crash of PostgreSQL and of the machine; concurrent commits
 * share one flush (group commit). zonky starts the server with {@code -F} (fsync off);
 * the {@code fsync=on} given here comes later on the server's command line and wins.
 * There is no faster, less durable mode: the tests run on what the platform runs on.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
		return start(dataDir, port, null);
	}

	/**
	 * Starts the server; with {@code tls}, it takes TLS connections with a client
	 * certificate only.
	 */
	public static EmbeddedPostgresServer start(Path dataDir, int port, Tls tls) throws IOException {
		PostgresBinaries.checkPresent();
		Files.createDirectories(dataDir.getParent());
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
		if (tls != null) {
			tls.configure(builder);
		}
		EmbeddedPostgres postgres = builder.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setPort(port)
			.setRegisterShutdownHook(false)
			.setPGStartupWait(Duration.ofSeconds(30))
			// PostgreSQL's default, said here because it matters: only this machine
			// reaches the server, unless TLS guards it. Without TLS its one user needs
			// no password.
			.setServerConfig("listen_addresses", (tls != null) ? tls.listenAddresses() : "localhost")
			.setServerConfig("max_connections", "300")
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setServerConfig("full_page_writes", "on")
			// Counts every statement, so switchboard bench can say what an order asks of
			// the database (a few percent of the server's CPU; the view needs CREATE
			// EXTENSION).
			.setServerConfig("shared_preload_libraries", "pg_stat_statements")
			.setServerConfig("pg_stat_statements.max", "1000")
			.start();
		return new EmbeddedPostgresServer(postgres);
	}

	/**
	 * Every connection over TLS, authenticated by a client certificate from the
	 * platform's authority whose name ({@code CN}) is mapped to a role: a service logs in
	 * as its own role, the launcher's tools ({@code operator}) as {@code postgres}. No
	 * password, no plain connection, no other name: PostgreSQL refuses what
	 * {@code pg_hba.conf} does not list.
	 *
	 * @param identity the server's key and certificate, one PEM file
	 * @param authorities the certificates of the authorities clients' certificates must
	 * lead to
	 * @param accessDirectory where to write {@code pg_hba.conf} and {@code pg_ident.conf}
	 * @param roles the role each certificate name logs in as
	 * @param client how this class's own connections (its readiness check) authenticate:
	 * JDBC connection properties
	 * @param listen where the server listens besides loopback: an address of the machine,
	 * a wildcard, or a loopback address for loopback alone
	 */
	public record Tls(Path identity, Path authorities, Path accessDirectory, Map<String, String> roles,
			Map<String, String> client, String listen) {

		static final String MAP = "switchboard";

		/** A server that only this machine reaches. */
		public Tls(Path identity, Path authorities, Path accessDirectory, Map<String, String> roles,
				Map<String, String> client) {
			this(identity, authorities, accessDirectory, roles, client, "127.0.0.1");
		}

		/**
		 * PostgreSQL's {@code listen_addresses}: always loopback, where this machine's
		 * clients connect, and {@link #listen} when it is more.
		 */
		String listenAddresses() {
			InetAddress address = address();
			if (address.isAnyLocalAddress()) {
				return "*";
			}
			return address.isLoopbackAddress() ? "localhost" : "localhost," + address.getHostAddress();
		}

		private InetAddress address() {
			try {
				// An address literal, checked by whoever chose it: no name lookup.
				return InetAddress.getByName(this.listen);
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException("not an address: " + this.listen, ex);
			}
		}

		void configure(EmbeddedPostgres.Builder builder) throws IOException {
			Files.createDirectories(this.accessDirectory);
			Path hba = this.accessDirectory.resolve("pg_hba.conf");
			// Beyond loopback, from any client: the certificate is what admits one.
			Files.writeString(hba,
					String.join("\n",
							"# Written by ./switchboard up at each start. TLS with a client certificate from the",
							"# platform's authority only; the certificate's name gives the role (pg_ident.conf).",
							address().isLoopbackAddress() ? "hostssl all all 127.0.0.1/32 cert map=" + MAP
									: "hostssl all all all cert map=" + MAP,
							"hostssl all all ::1/128 cert map=" + MAP, ""));
			StringBuilder ident = new StringBuilder(
					"# Written by ./switchboard up at each start: certificate name, then its role.\n");
			this.roles.forEach(
					(name, role) -> ident.append(MAP).append(' ').append(name).append(' ').append(role).append('\n'));
			Path identFile = this.accessDirectory.resolve("pg_ident.conf");
			Files.writeString(identFile, ident);
			builder.setServerConfig("ssl", "on")
				.setServerConfig("ssl_cert_file", this.identity.toString())
				.setServerConfig("ssl_key_file", this.identity.toString())
				.setServerConfig("ssl_ca_file", this.authorities.toString())
				.setServerConfig("ssl_min_protocol_version", "TLSv1.3")
				.setServerConfig("hba_file", hba.toString())
				.setServerConfig("ident_file", identFile.toString());
			this.client.forEach(builder::setConnectConfig);
		}

	}

	/**
	 * A JDBC URL for {@code database} on this server (user {@code postgres}, no
	 * password).
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.postgres.getPort() + "/" + database;
	}

	public int port() {
		return this.postgres.getPort();
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

}
