package dev.switchboard.platform.internal.security;

import java.io.IOException;
import java.security.cert.X509Certificate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.io.JsonStringEncoder;

import dev.switchboard.contracts.access.AccessPolicy;
import dev.switchboard.platform.security.ServiceIdentity;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets an HTTP request through only if the {@link AccessPolicy} grants its path on this
 * service to the caller, whom the client certificate of the (mutual TLS) connection
 * names; else {@code 403} problem+json, a warning naming caller and target, and one more
 * {@code switchboard.authorization.denied{transport=http}}.
 */
class HttpCallerAuthorization extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(HttpCallerAuthorization.class);

	private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

	private final AccessPolicy policy;

	private final MeterRegistry meters;

	private final String service;

	HttpCallerAuthorization(AccessPolicy policy, MeterRegistry meters, String service) {
		this.policy = policy;
		this.meters = meters;
		this.service = service;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String caller = callerOf(request);
		// The servlet path is decoded and normalised: "/summary/../admin" is "/admin".
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		if (this.policy.allowsHttp(this.service, caller, path)) {
			chain.doFilter(request, response);
			return;
		}
		String who = (caller != null) ? caller : CallerAuthorization.NOBODY;
		String detail = who + " may not call " + request.getMethod() + " " + path + " on " + this.service;
		log.warn("Refused an HTTP call: {}", detail);
		Counter.builder(CallerAuthorization.DENIED)
			.description("Internal calls refused by the access policy")
			.tag("caller", who)
			.tag("target", path.startsWith("/actuator/") ? "/actuator" : firstSegment(path))
			.tag("transport", "http")
			.register(this.meters)
			.increment();
		response.setStatus(HttpServletResponse.SC_FORBIDDEN);
		response.setCharacterEncoding("UTF-8");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		StringBuilder body = new StringBuilder(
				"{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"");
		JsonStringEncoder.getInstance().quoteAsString(detail, body);
		response.getWriter().write(body.append("\"}").toString());
	}

	private static String callerOf(HttpServletRequest request) {
		if (request.getAttribute(CERTIFICATES) instanceof X509Certificate[] chain && chain.length > 0) {
			return ServiceIdentity.serviceOf(chain[0]).orElse(null);
		}
		return null;
	}

	/** A bounded tag: the path's first segment, not the path (ids would be unbounded). */
	private static String firstSegment(String path) {
		int next = path.indexOf('/', 1);
		return (next < 0) ? path : path.substring(0, next);
	}

}
