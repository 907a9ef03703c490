package dev.switchboard.platform.internal.lifecycle;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ScheduledTaskFailuresTest {

	@Test
	void aRunThatFoundNoDatabaseIsOneWarningLine(CapturedOutput output) {
		new ScheduledTaskFailures().handleError(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
				new SQLException("Connection to 127.0.0.1:5432 refused", "08001")));

		assertThat(output).contains("WARN")
			.contains("runs again at its next tick")
			.contains("Connection to 127.0.0.1:5432 refused");
		assertThat(output).doesNotContain("\tat ");
	}

	@Test
	void anyOtherFailureIsAnErrorWithItsStackTrace(CapturedOutput output) {
		new ScheduledTaskFailures().handleError(new IllegalStateException("a bug"));

		assertThat(output).contains("ERROR").contains("A scheduled task failed").contains("a bug").contains("\tat ");
	}

}
