package dev.switchboard.gateway.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

import dev.switchboard.platform.resilience.EdgeUnavailableException;
import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.accept.InvalidApiVersionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 {@code application/problem+json}: Spring MVC's own (400 for
 * malformed JSON and invalid fields, 404, 405, 415, ...) through the base class, and the
 * downstream answers translated by the controllers. A 503 (nothing was done) and a 504
 * (the outcome is unknown) tell the client when to try again.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	@ExceptionHandler(UpstreamException.class)
	ResponseEntity<ProblemDetail> upstream(UpstreamException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
		problem.setTitle(ex.title());
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.status());
		if (ex.status() == HttpStatus.SERVICE_UNAVAILABLE || ex.status() == HttpStatus.GATEWAY_TIMEOUT
				|| ex.status() == HttpStatus.TOO_MANY_REQUESTS) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(RetryAfter.seconds(ex.retryAfter())));
		}
		return response.body(problem);
	}

	/** A version this gateway does not serve, named as the client gave it. */
	@ExceptionHandler(InvalidApiVersionException.class)
	ResponseEntity<ProblemDetail> unservedVersion(InvalidApiVersionException ex) {
		// The version as parsed ("3.0.0"), written as clients write it ("3").
		String version = String.valueOf(ex.getVersion()).replaceFirst("(\\.0)+$", "");
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"API version '" + version + "' is not served; versions 2 and 1 (deprecated) are, chosen by the path "
						+ "(/api/v2/...), the " + ApiVersions.HEADER + " header or the " + ApiVersions.PARAMETER
						+ " query parameter");
		return ResponseEntity.badRequest().body(problem);
	}

	/**
	 * A call the gateway did not make: the edge's breaker is open or its bulkhead full.
	 */
	@ExceptionHandler(EdgeUnavailableException.class)
	ResponseEntity<ProblemDetail> edgeUnavailable(EdgeUnavailableException ex) {
		return upstream(new UpstreamException(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", ex.getMessage(),
				ex.retryAfter()));
	}

	/**
	 * A body that is not JSON, or not of the shape the route reads: says where, and what
	 * kind of mistake, without echoing the input.
	 */
	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setDetail(notReadable(ex));
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	private static String notReadable(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getMostSpecificCause();
		if (!(cause instanceof JacksonException json)) {
			return "the request body is missing or not readable";
		}
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : json.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		String what;
		if (json instanceof StreamReadException) {
			what = String.valueOf(json.getOriginalMessage()).startsWith("Duplicate") ? "a key given twice"
					: "malformed JSON";
		}
		else if (json instanceof MismatchedInputException) {
			what = "a value of the wrong type (numbers are not quoted, counts have no fraction, texts are quoted)";
		}
		else {
			what = "a value that cannot be read";
		}
		return what + (path.isEmpty() ? "" : " at " + path);
	}

	/** Names every invalid field, so a client can fix its request without guessing. */
	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((FieldError e) -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
			.toList();
		ProblemDetail problem = ex.getBody();
		problem.setDetail("invalid fields: "
				+ String.join(", ", errors.stream().map((e) -> e.get("field") + " " + e.get("message")).toList()));
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@ExceptionHandler(RestClientException.class)
	ResponseEntity<ProblemDetail> restClient(RestClientException ex) {
		log.warn("Downstream REST call failed: {}", ex.toString());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"a service is unavailable");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
	}

}
