package dev.switchboard.platform.internal.schema;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Migrates the platform's own tables (outbox, inbox) in schema
 * {@value PlatformSchema#NAME}, separately from the service's schema.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(Flyway.class)
@ConditionalOnBean(DataSource.class)
public class PlatformSchemaAutoConfiguration {

	@Bean
	PlatformSchema platformSchema(DataSource dataSource) {
		return new PlatformSchema(dataSource);
	}

}
