package dev.switchboard.platform;

import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.testing.SharedInfrastructure;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database settings every service starts with, against a real PostgreSQL.
 */
@SpringBootTest(classes = DataSourceDefaultsIntegrationTest.App.class,
		properties = { "spring.application.name=datasource-test", "server.port=0", "spring.flyway.enabled=false" })
class DataSourceDefaultsIntegrationTest {

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		SharedInfrastructure.register(registry, "datasource");
	}

	@Test
	void aBatchOfInsertsReachesTheServerAsOneMultiRowInsert() {
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS batched (id int PRIMARY KEY)");
		this.jdbc.execute("TRUNCATE batched");

		int[] counts = this.jdbc.batchUpdate("INSERT INTO batched (id) VALUES (?)",
				List.of(new Object[] { 1 }, new Object[] { 2 }, new Object[] { 3 }, new Object[] { 4 }));

		// The driver rewrote the batch into one statement (of a power of two rows; three
		// would be two and one), so it cannot tell each row's count; run one statement a
		// row, it reports 1 for each.
		assertThat(counts).containsExactly(Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO,
				Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM batched", Integer.class)).isEqualTo(4);
	}

	@SpringBootApplication
	static class App {

	}

}
