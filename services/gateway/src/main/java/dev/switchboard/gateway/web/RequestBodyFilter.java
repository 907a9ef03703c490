package dev.switchboard.gateway.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every request body into memory before anything else runs: at most
 * {@code switchboard.gateway.max-body-size} bytes (more is a 413, judged on the declared
 * length when there is one) within {@code switchboard.gateway.body-read-timeout} (a
 * client still sending after that gets a 408). First of the filters, so a client that
 * sends its body slowly holds no load-shedding permit while it does: 256 slow clients
 * used to make the gateway answer 503 to everyone. The deadline is checked between reads,
 * each of which the container bounds by its connection timeout, so no body takes longer
 * than the two together. The servlet container has no body limit for JSON, nor a deadline
 * for a whole body, hence this filter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestBodyFilter extends OncePerRequestFilter {

	private final long limit;

	private final long deadlineNanos;

	RequestBodyFilter(@Value("${switchboard.gateway.max-body-size:64KB}") DataSize limit,
			@Value("${switchboard.gateway.body-read-timeout:10s}") Duration deadline) {
		this.limit = limit.toBytes();
		this.deadlineNanos = deadline.toNanos();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!concrete(request.getContentType())) {
			// Refused here for every route: past this point Spring's functional endpoints
			// (GraphQL's) fail on such a type with a 500 before any route could refuse
			// it.
			refuse(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"Could not parse Content-Type as a concrete media type such as application/json");
			return;
		}
		long declared = request.getContentLengthLong();
		if (declared > this.limit) {
			refuse(response, HttpStatus.CONTENT_TOO_LARGE, "request body exceeds " + this.limit + " bytes");
			return;
		}
		if (declared <= 0 && request.getHeader("Transfer-Encoding") == null) {
			chain.doFilter(request, response);
			return;
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream((declared > 0) ? (int) declared : 1024);
		byte[] buffer = new byte[8192];
		long started = System.nanoTime();
		InputStream in = request.getInputStream();
		int read;
		while ((read = readWithinTimeout(in, buffer)) != -1) {
			if (read == TIMED_OUT) {
				refuse(response, HttpStatus.REQUEST_TIMEOUT, "the request body stopped arriving");
				return;
			}
			body.write(buffer, 0, read);
			if (body.size() > this.limit) {
				refuse(response, HttpStatus.CONTENT_TOO_LARGE, "request body exceeds " + this.limit + " bytes");
				return;
			}
			if (System.nanoTime() - started > this.deadlineNanos) {
				refuse(response, HttpStatus.REQUEST_TIMEOUT, "the request body did not arrive within "
						+ Duration.ofNanos(this.deadlineNanos).toSeconds() + " s");
				return;
			}
		}
		chain.doFilter(new CachedBodyRequest(request, body.toByteArray()), response);
	}

	/** No Content-Type, or one a body can have: no wildcard, and parsable. */
	private static boolean concrete(String contentType) {
		if (contentType == null) {
			return true;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return !type.isWildcardType() && !type.isWildcardSubtype();
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static final int TIMED_OUT = -2;

	/**
	 * One read; {@link #TIMED_OUT} when the container's read timeout passed with nothing
	 * arriving (it throws a {@link SocketTimeoutException}, maybe wrapped).
	 */
	private static int readWithinTimeout(InputStream in, byte[] buffer) throws IOException {
		try {
			return in.read(buffer);
		}
		catch (IOException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof SocketTimeoutException) {
					return TIMED_OUT;
				}
			}
			throw ex;
		}
	}

	/** Answers and closes the connection: what is left of the body is not read. */
	private static void refuse(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Connection", "close");
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
					+ status.value() + ",\"detail\":\"" + detail + "\"}");
	}

}
