package dev.switchboard.gateway.web;

import java.time.Duration;
import java.util.Map;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.http.HttpStatus;

/**
 * Translates a gRPC status into the HTTP answer for one operation. The same code means
 * different things per call (NOT_FOUND is an unknown SKU when ordering, 422, but an
 * unknown order when reading, 404), so each call site says what its codes mean; anything
 * it does not name is a server-side problem.
 */
public final class GrpcErrors {

	private GrpcErrors() {
	}

	public static UpstreamException translate(StatusRuntimeException ex, Map<Status.Code, HttpStatus> meanings) {
		Status.Code code = ex.getStatus().getCode();
		String detail = (ex.getStatus().getDescription() != null) ? ex.getStatus().getDescription() : code.name();
		HttpStatus status = meanings.get(code);
		if (status != null) {
			return new UpstreamException(status, status.getReasonPhrase(), detail);
		}
		return switch (code) {
			case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED ->
				new UpstreamException(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
						"a service is unavailable: " + detail, RetryAfter.of(ex).orElse(Duration.ofSeconds(1)));
			case INVALID_ARGUMENT -> new UpstreamException(HttpStatus.BAD_REQUEST, "Bad Request", detail);
			default -> new UpstreamException(HttpStatus.BAD_GATEWAY, "Bad Gateway", "a service failed: " + code);
		};
	}

}
