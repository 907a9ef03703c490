package dev.switchboard.platform.internal.fault;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.switchboard.platform.internal.resilience.Refusals;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Injects the current fault into HTTP requests (matched against the path); a failed one
 * is answered 503, without Retry-After, as a broken service would.
 */
final class HttpFaultFilter extends OncePerRequestFilter {

	private final FaultInjector faults;

	HttpFaultFilter(FaultInjector faults) {
		this.faults = faults;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return Refusals.isOperatorPath(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.faults.applyTo(request.getRequestURI())) {
			Refusals.unavailable(response, "injected fault", null);
			return;
		}
		chain.doFilter(request, response);
	}

}
