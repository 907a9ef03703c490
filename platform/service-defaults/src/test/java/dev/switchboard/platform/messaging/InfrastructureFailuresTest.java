package dev.switchboard.platform.messaging;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class InfrastructureFailuresTest {

	@Test
	void aDatabaseAwayOrAConnectionLostAtCommitOrRollbackIsInfrastructure() {
		assertThat(InfrastructureFailures.isInfrastructure(
				new CannotGetJdbcConnectionException("no connection", new SQLException("Connection refused", "08001"))))
			.isTrue();
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed");
		rollback.initCause(new SQLException("Connection is closed"));
		assertThat(InfrastructureFailures.isInfrastructure(rollback)).isTrue();
	}

	@Test
	void badDataIsNotWhateverWrapsIt() {
		TransactionSystemException commit = new TransactionSystemException("Could not commit JDBC transaction");
		commit.initCause(new SQLException("violates foreign key constraint", "23503"));
		assertThat(InfrastructureFailures.isInfrastructure(commit)).isFalse();
		assertThat(InfrastructureFailures.isInfrastructure(new IllegalStateException("a bug"))).isFalse();
	}

}
