package dev.switchboard.platform.internal.resilience;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

import dev.switchboard.platform.resilience.RetryAfter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * How a service refuses a call before handling it (load shedding, injected faults), the
 * same way over HTTP and gRPC.
 */
public final class Refusals {

	private Refusals() {
	}

	/**
	 * Health and admin endpoints: never shed or faulted, so a struggling service can be
	 * watched and healed.
	 */
	public static boolean isOperatorPath(HttpServletRequest request) {
		String path = request.getRequestURI();
		return path.startsWith("/actuator") || path.startsWith("/admin");
	}

	/**
	 * Answers 503 as problem+json, with {@code Retry-After} when {@code retryAfter} is
	 * given.
	 */
	public static void unavailable(HttpServletResponse response, String detail, Duration retryAfter)
			throws IOException {
		if (retryAfter != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RetryAfter.seconds(retryAfter)));
		}
		problem(response, HttpStatus.SERVICE_UNAVAILABLE, detail);
	}

	/**
	 * Answers {@code status} as problem+json; {@code detail} is the platform's own text,
	 * never a caller's (it is not escaped).
	 */
	public static void problem(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8);
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
					+ status.value() + ",\"detail\":\"" + detail + "\"}");
	}

	/**
	 * Closes a gRPC call unhandled and returns the listener for the messages it will not
	 * get.
	 */
	public static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status, Metadata trailers) {
		call.close(status, trailers);
		return new ServerCall.Listener<>() {
		};
	}

}
