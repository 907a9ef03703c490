package dev.switchboard.inventory.adapter.in.web;

import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.inventory.domain.InsufficientStockException;
import dev.switchboard.inventory.domain.InvalidReservationException;
import dev.switchboard.inventory.domain.ReservationConflictException;
import dev.switchboard.inventory.domain.ReservationReleasedException;
import dev.switchboard.inventory.domain.UnknownSkuException;
import dev.switchboard.platform.messaging.InfrastructureFailures;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The REST reservations' answers to what the use cases refuse, as problem+json with a
 * {@code code} a caller can switch on: the same table as the gRPC statuses of
 * {@code InventoryGrpcErrors}. A missing database is {@code 503} with {@code Retry-After}
 * (a caller may retry), anything else unexpected {@code 500}: both count as failures for
 * the caller's breaker, never as a business answer.
 */
// Before Spring Boot's problem details handler, which would answer unreadable bodies
// without a code.
@RestControllerAdvice(assignableTypes = ReservationController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ReservationProblems {

	private static final Logger log = LoggerFactory.getLogger(ReservationProblems.class);

	/** What a caller waits before trying again after a 503. */
	private static final String DATABASE_RETRY_AFTER_SECONDS = "1";

	@ExceptionHandler
	ResponseEntity<ProblemDetail> refused(RuntimeException failure) {
		return switch (failure) {
			case UnknownSkuException ex -> problem(HttpStatus.NOT_FOUND, "unknown-sku", ex.getMessage());
			case InsufficientStockException ex -> problem(HttpStatus.CONFLICT, "out-of-stock", ex.getMessage());
			case ReservationConflictException ex ->
				problem(HttpStatus.CONFLICT, "reservation-conflict", ex.getMessage());
			case ReservationReleasedException ex ->
				problem(HttpStatus.CONFLICT, "reservation-released", ex.getMessage());
			case InvalidReservationException ex ->
				problem(HttpStatus.BAD_REQUEST, "invalid-reservation", ex.getMessage());
			default -> unexpected(failure);
		};
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException failure) {
		return problem(HttpStatus.BAD_REQUEST, "invalid-reservation", "the body is not a reservation request");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> mistyped(TypeMismatchException failure) {
		return problem(HttpStatus.BAD_REQUEST, "invalid-reservation",
				"'" + failure.getValue() + "' is not a valid " + failure.getPropertyName());
	}

	private static ResponseEntity<ProblemDetail> unexpected(RuntimeException failure) {
		if (InfrastructureFailures.isInfrastructure(failure)) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS)
				.body(detail(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
						"the service's database is unavailable: " + failure));
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			// SQLSTATE class 22, "data exception": a value the database would not take
			// is the caller's input, not an outage.
			if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
				return problem(HttpStatus.BAD_REQUEST, "invalid-reservation",
						"a value was refused: " + sql.getMessage());
			}
		}
		log.error("A reservation call failed", failure);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal",
				"the service failed unexpectedly; its log has the details");
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail) {
		return ResponseEntity.status(status).body(detail(status, code, detail));
	}

	private static ProblemDetail detail(HttpStatus status, String code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setProperty("code", code);
		return problem;
	}

}
