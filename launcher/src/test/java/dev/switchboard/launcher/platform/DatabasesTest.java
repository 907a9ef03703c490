package dev.switchboard.launcher.platform;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.embedded.EmbeddedPostgresServer;
import dev.switchboard.embedded.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service's database is its own role's, on a real PostgreSQL server: made so, or
 * handed over when it was made before roles, with the tables in it.
 */
class DatabasesTest {

	@TempDir
	Path directory;

	@Test
	void aDatabaseMadeBeforeRolesIsHandedOverToItsServiceWithItsTables() throws Exception {
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(this.directory.resolve("pg"),
				FreePorts.next())) {
			Databases databases = new Databases(server.jdbcUrl("postgres"), "postgres", "");
			databases.ensure("switchboard_order");
			try (Connection c = databases.connect(databases.urlOf("switchboard_order"));
					Statement s = c.createStatement()) {
				s.execute("CREATE TABLE orders (id bigserial PRIMARY KEY, total int)");
				s.execute("CREATE VIEW totals AS SELECT sum(total) FROM orders");
			}

			databases.ensure("switchboard_order", "order");
			databases.ensure("switchboard_order", "order");
			databases.ensure("switchboard_payment", "payment");

			try (Connection c = databases.connect(databases.urlOf("switchboard_order"));
					Statement s = c.createStatement();
					ResultSet owners = s.executeQuery("SELECT (SELECT pg_get_userbyid(datdba) FROM pg_database "
							+ "WHERE datname = current_database()), (SELECT tableowner FROM pg_tables WHERE "
							+ "tablename = 'orders'), (SELECT viewowner FROM pg_views WHERE viewname = 'totals'), "
							+ "(SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'orders_id_seq'), "
							+ "has_database_privilege('payment', 'switchboard_order', 'CONNECT'), "
							+ "has_database_privilege('order', 'switchboard_order', 'CONNECT')")) {
				assertThat(owners.next()).isTrue();
				assertThat(owners.getString(1)).as("the database").isEqualTo("order");
				assertThat(owners.getString(2)).as("its table").isEqualTo("order");
				assertThat(owners.getString(3)).as("its view").isEqualTo("order");
				assertThat(owners.getString(4)).as("its table's sequence").isEqualTo("order");
				assertThat(owners.getBoolean(5)).as("another service may connect").isFalse();
				assertThat(owners.getBoolean(6)).as("its service may connect").isTrue();
			}
		}
	}

}
