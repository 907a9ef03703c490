package dev.switchboard.platform.internal.schema;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * The platform tables, migrated when this bean is created. Beans that use those tables
 * depend on it, so they never see a missing table.
 */
public final class PlatformSchema {

	/** The PostgreSQL schema holding the outbox and inbox tables. */
	public static final String NAME = "platform";

	PlatformSchema(DataSource dataSource) {
		Flyway.configure()
			.dataSource(dataSource)
			.schemas(NAME)
			.table("platform_schema_history")
			.locations("classpath:db/platform")
			.load()
			.migrate();
	}

}
