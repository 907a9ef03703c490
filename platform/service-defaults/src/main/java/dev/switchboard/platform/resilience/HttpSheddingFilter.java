package dev.switchboard.platform.resilience;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.github.resilience4j.bulkhead.Bulkhead;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 with {@code Retry-After} while the service already has its limit of HTTP
 * requests in progress. Health and admin endpoints are never shed: an overloaded service
 * must still say how it is and accept the operator's commands.
 */
final class HttpSheddingFilter extends OncePerRequestFilter {

	private final Shedding shedding;

	HttpSheddingFilter(Shedding shedding) {
		this.shedding = shedding;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return path.startsWith("/actuator") || path.startsWith("/admin");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Bulkhead limit = this.shedding.http();
		if (!limit.tryAcquirePermission()) {
			this.shedding.refused();
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RetryAfter.seconds(this.shedding.retryAfter())));
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.getWriter()
				.write("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"overloaded: "
						+ limit.getMetrics().getMaxAllowedConcurrentCalls() + " requests already in progress\"}");
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			limit.onComplete();
		}
	}

}
