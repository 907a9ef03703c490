package dev.switchboard.platform.internal.resilience;

import java.util.Set;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;

/**
 * Which failures of a gRPC or REST call say something about the downstream's health, and
 * which of those a retry may cure. A downstream's business answer (not found, out of
 * stock, invalid) is an answer: it counts as a success for the breaker and is never
 * retried.
 */
public final class Failures {

	private static final Set<Status.Code> RETRYABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

	private static final Set<Status.Code> UNHEALTHY = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
			Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.DATA_LOSS,
			Status.Code.UNIMPLEMENTED);

	private Failures() {
	}

	/** Worth another attempt, if the operation is idempotent. */
	public static boolean retryable(Throwable ex) {
		if (ex instanceof StatusRuntimeException grpc) {
			return RETRYABLE.contains(grpc.getStatus().getCode());
		}
		if (ex instanceof HttpServerErrorException http) {
			return http.getStatusCode().value() == 503 || http.getStatusCode().value() == 504;
		}
		return ex instanceof ResourceAccessException;
	}

	/**
	 * The downstream could not be reached at all (gRPC UNAVAILABLE, a connection error).
	 */
	public static boolean unreachable(Throwable ex) {
		if (ex instanceof StatusRuntimeException grpc) {
			return grpc.getStatus().getCode() == Status.Code.UNAVAILABLE;
		}
		return ex instanceof ResourceAccessException;
	}

	/**
	 * A sign of an unhealthy or overloaded downstream, counted by its circuit breaker.
	 */
	public static boolean unhealthy(Throwable ex) {
		if (ex instanceof StatusRuntimeException grpc) {
			return UNHEALTHY.contains(grpc.getStatus().getCode());
		}
		return ex instanceof HttpServerErrorException || ex instanceof ResourceAccessException;
	}

}
