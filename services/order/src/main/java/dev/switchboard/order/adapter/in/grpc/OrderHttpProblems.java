package dev.switchboard.order.adapter.in.grpc;

import java.util.Optional;

import io.grpc.Status;
import io.grpc.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.resilience.RetryAfter;

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
 * The HTTP binding's refusals as problem+json: {@code code} is the gRPC status the same
 * call would have ended with ({@code NOT_FOUND}, {@code FAILED_PRECONDITION}...), the
 * HTTP status its usual counterpart (google.rpc.Code's mapping), a {@code Retry-After}
 * where the status carried one, so that a caller reads one table of refusals whichever
 * way it calls.
 */
// Before Spring Boot's problem details handler, which would answer unreadable bodies
// without a code.
@RestControllerAdvice(assignableTypes = OrderHttpBinding.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderHttpProblems {

	private static final Logger log = LoggerFactory.getLogger(OrderHttpProblems.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> refused(StatusException refusal) {
		// The trailer holds whole seconds, as the header does.
		return problem(refusal.getStatus(),
				Optional.ofNullable(refusal.getTrailers()).map((trailers) -> trailers.get(RetryAfter.TRAILER)));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException failure) {
		return problem(Status.INVALID_ARGUMENT.withDescription("the body is not a valid request: "
				+ ((failure.getMostSpecificCause() != null) ? failure.getMostSpecificCause().getMessage() : "?")),
				Optional.empty());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> failed(RuntimeException failure) {
		log.error("An order call over HTTP failed", failure);
		return problem(Status.INTERNAL.withDescription("the service failed unexpectedly; its log has the details"),
				Optional.empty());
	}

	private static ResponseEntity<ProblemDetail> problem(Status status, Optional<String> retryAfter) {
		HttpStatus http = httpStatusOf(status.getCode());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(http,
				(status.getDescription() != null) ? status.getDescription() : status.getCode().name());
		problem.setProperty("code", status.getCode().name());
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(http);
		retryAfter.ifPresent((seconds) -> answer.header(HttpHeaders.RETRY_AFTER, seconds));
		return answer.body(problem);
	}

	/** The HTTP status google.rpc.Code gives each code. */
	static HttpStatus httpStatusOf(Status.Code code) {
		return switch (code) {
			case OK -> HttpStatus.OK;
			case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
			case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
			case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case ALREADY_EXISTS, ABORTED -> HttpStatus.CONFLICT;
			case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
			// 499, "client closed request", has no constant.
			case CANCELLED -> HttpStatus.REQUEST_TIMEOUT;
			case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
			case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
			case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
			case UNKNOWN, INTERNAL, DATA_LOSS -> HttpStatus.INTERNAL_SERVER_ERROR;
		};
	}

}
