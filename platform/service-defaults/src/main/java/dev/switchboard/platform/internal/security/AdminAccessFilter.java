package dev.switchboard.platform.internal.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.switchboard.platform.internal.resilience.Refusals;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards a service's operator endpoints: {@code /internal/**} (the listings operators and
 * the invariant checker read, the message status the order service asks) and
 * {@code /admin/**} (faults, rebuilds). Each request needs
 * {@code Authorization: Bearer <switchboard.admin.token>}; a service without a token
 * keeps them closed. {@code ./switchboard up} makes a token for each start and hands it
 * to every service in its environment.
 *
 * <p>
 * A filter rather than Spring Security: comparing one shared secret in constant time is
 * all this needs, and every service would otherwise start Security's filter chain for it.
 */
final class AdminAccessFilter extends OncePerRequestFilter {

	private final byte[] token;

	/**
	 * @param token the admin token, or {@code null} or blank for none
	 */
	AdminAccessFilter(String token) {
		this.token = (token == null || token.isBlank()) ? null : token.getBytes(StandardCharsets.UTF_8);
	}

	/** Whether {@code request} is for an operator endpoint. */
	static boolean guards(HttpServletRequest request) {
		// The servlet path, which the container has decoded and normalised: no encoding,
		// dot segment or doubled slash gets around the prefix; nor does case.
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		String lower = path.toLowerCase(Locale.ROOT);
		return isUnder(lower, "/internal") || isUnder(lower, "/admin");
	}

	private static boolean isUnder(String path, String prefix) {
		return path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ";");
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !guards(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.token == null) {
			Refusals.problem(response, HttpStatus.FORBIDDEN,
					"operator endpoints are closed: this service has no switchboard.admin.token"
							+ " (./switchboard up sets one)");
			return;
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		byte[] given = (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7))
				? authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
		if (!MessageDigest.isEqual(given, this.token)) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"switchboard-admin\"");
			Refusals.problem(response, HttpStatus.UNAUTHORIZED,
					"operator endpoints need 'Authorization: Bearer <admin token>' (the token is in"
							+ " <data-dir>/run/admin-token)");
			return;
		}
		chain.doFilter(request, response);
	}

}
