package dev.switchboard.platform.internal.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every HTTP request to a service that listens beyond this machine shows the service
 * credential, or gets {@code 401} problem+json; the health status alone is open (the
 * launcher and orchestrators probe it).
 */
class ServiceCredentialFilter extends OncePerRequestFilter {

	private final ServiceCredential credential;

	ServiceCredentialFilter(ServiceCredential credential) {
		this.credential = credential;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.credential.matches(request.getHeader(ServiceCredential.HEADER))) {
			chain.doFilter(request, response);
			return;
		}
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
					+ "\"detail\":\"calls to this service carry the platform's service credential\"}");
	}

}
