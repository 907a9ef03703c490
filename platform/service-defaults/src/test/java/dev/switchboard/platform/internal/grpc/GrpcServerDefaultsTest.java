package dev.switchboard.platform.internal.grpc;

import java.sql.SQLException;
import java.time.Duration;

import io.grpc.Status;
import io.grpc.StatusException;
import org.junit.jupiter.api.Test;

import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcServerDefaultsTest {

	private final GrpcExceptionHandler handler = new GrpcServerDefaultsAutoConfiguration().infrastructureUnavailable();

	@Test
	void aCallThatFoundNoDatabaseIsUnavailableWithARetryAfter() {
		StatusException answer = this.handler.handleException(
				new CannotGetJdbcConnectionException("no connection", new SQLException("Connection refused", "08001")));

		assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(RetryAfter.of(new io.grpc.StatusRuntimeException(answer.getStatus(), answer.getTrailers())))
			.contains(Duration.ofSeconds(2));
	}

	@Test
	void aValueTheDatabaseRefusedIsTheCallersInvalidArgument() {
		GrpcExceptionHandler invalid = new GrpcServerDefaultsAutoConfiguration().invalidData();
		SQLException nul = new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021");

		StatusException answer = invalid
			.handleException(new DataIntegrityViolationException("could not insert", new RuntimeException(nul)));

		assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(answer.getStatus().getDescription()).contains("0x00");
		assertThat(invalid.handleException(new DataIntegrityViolationException("duplicate",
				new SQLException("duplicate key value violates unique constraint", "23505"))))
			.as("a broken constraint is not the caller's input")
			.isNull();
		assertThat(invalid.handleException(new IllegalStateException("a bug"))).isNull();
	}

	@Test
	void anyOtherFailureIsLeftToTheDefaultHandling() {
		assertThat(this.handler.handleException(new IllegalStateException("a bug"))).isNull();
	}

	@Test
	void whatNoHandlerKnowsIsInternalAndAStatusThrownOnPurposePassesAsItIs() {
		GrpcExceptionHandler last = new GrpcServerDefaultsAutoConfiguration().unexpectedFailure();

		assertThat(last.handleException(new IllegalStateException("a bug")).getStatus().getCode())
			.isEqualTo(Status.Code.INTERNAL);
		assertThat(
				last.handleException(Status.PERMISSION_DENIED.withDescription("no").asRuntimeException()).getStatus())
			.extracting(Status::getCode, Status::getDescription)
			.containsExactly(Status.Code.PERMISSION_DENIED, "no");
	}

}
