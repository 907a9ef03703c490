package dev.switchboard.platform.internal.resilience;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.github.resilience4j.bulkhead.Bulkhead;

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
		return Refusals.isOperatorPath(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Bulkhead limit = this.shedding.http();
		if (!limit.tryAcquirePermission()) {
			this.shedding.refusedHttp();
			Refusals.unavailable(response, "overloaded: " + limit.getMetrics().getMaxAllowedConcurrentCalls()
					+ " requests already in progress", this.shedding.retryAfter());
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
