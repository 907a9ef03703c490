package dev.switchboard.platform.fault;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Injects the current fault into HTTP requests (matched against the path); a failed one is
 * answered 503. Health and admin endpoints are left alone, so a faulty service can still be
 * watched and healed.
 */
final class HttpFaultFilter extends OncePerRequestFilter {

	private final FaultInjector faults;

	HttpFaultFilter(FaultInjector faults) {
		this.faults = faults;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return path.startsWith("/actuator") || path.startsWith("/admin");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.faults.applyTo(request.getRequestURI())) {
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.getWriter()
				.write("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"injected fault\"}");
			return;
		}
		chain.doFilter(request, response);
	}

}
