package dev.switchboard.platform.internal.retention;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.platform.retention.RetentionRule;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Old rows go, in batches, from the inbox and from any table a service names; recent rows
 * stay.
 */
@SpringBootTest(classes = RetentionIntegrationTest.App.class,
		properties = { "spring.application.name=retention-test", "server.port=0", "spring.flyway.enabled=false",
				"switchboard.retention.interval=1s", "switchboard.retention.inbox=1h" })
class RetentionIntegrationTest {

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		SharedInfrastructure.register(registry, "retention");
	}

	@Test
	void rowsOlderThanTheirRuleAreDeletedInBatchesAndRecentOnesKept() {
		this.jdbc.update("""
				INSERT INTO platform.inbox (consumer, message_id, processed_at)
				SELECT 'retention-test.c', 'old-' || i, now() - interval '2 hours' FROM generate_series(1, 10) i""");
		this.jdbc.update("""
				INSERT INTO platform.inbox (consumer, message_id, processed_at)
				SELECT 'retention-test.c', 'new-' || i, now() FROM generate_series(1, 10) i""");
		// More than two batches of old rows.
		this.jdbc.update("""
				INSERT INTO things (made_at) SELECT now() - interval '3 days' FROM generate_series(1, ?)""",
				RetentionJob.BATCH * 2 + 10);
		this.jdbc.update("INSERT INTO things (made_at) SELECT now() FROM generate_series(1, 7)");

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(count("SELECT count(*) FROM platform.inbox WHERE message_id LIKE 'old-%'")).isZero();
			assertThat(count("SELECT count(*) FROM things")).isEqualTo(7);
		});
		assertThat(count("SELECT count(*) FROM platform.inbox WHERE message_id LIKE 'new-%'")).isEqualTo(10);
	}

	private long count(String sql) {
		return this.jdbc.queryForObject(sql, Long.class);
	}

	@SpringBootApplication
	static class App {

		@Bean
		RetentionRule things(JdbcTemplate jdbc) {
			jdbc.execute("CREATE TABLE IF NOT EXISTS things (id bigserial PRIMARY KEY, made_at timestamptz NOT NULL)");
			return new RetentionRule("things", "things", "made_at < ?", Duration.ofDays(1));
		}

	}

}
