package dev.switchboard.gateway.security;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The scope each protected route needs (DESIGN.md, "Identity"). Product reads, the health
 * status and the token endpoint are public; every other route under the orders, webhooks
 * and analytics paths needs a token.
 */
final class Scopes {

	/** A route and the scope a token needs for it. */
	record Rule(RequestMatcher route, String scope) {
	}

	/** The WebSocket of order updates (orders.OrderUpdatesSocket). */
	static final String WEBSOCKET = "/ws/orders";

	static final List<Rule> RULES = List.of(
			new Rule(PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/*/orders"), "orders:write"),
			new Rule(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/api/*/orders/**"), "orders:read"),
			new Rule(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/api/*/analytics/**"), "analytics:read"),
			new Rule(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/bff/**"), "orders:read"),
			new Rule(PathPatternRequestMatcher.pathPattern("/api/*/webhooks"), "orders:read"),
			new Rule(PathPatternRequestMatcher.pathPattern("/api/*/webhooks/**"), "orders:read"),
			new Rule(PathPatternRequestMatcher.pathPattern(WEBSOCKET), "orders:read"));

	/** Routes that need a token, whatever else they need. */
	static final List<RequestMatcher> PROTECTED = List.of(PathPatternRequestMatcher.pathPattern("/api/*/orders"),
			PathPatternRequestMatcher.pathPattern("/api/*/orders/**"),
			PathPatternRequestMatcher.pathPattern("/api/*/analytics/**"),
			PathPatternRequestMatcher.pathPattern("/bff/**"), PathPatternRequestMatcher.pathPattern("/api/*/webhooks"),
			PathPatternRequestMatcher.pathPattern("/api/*/webhooks/**"),
			PathPatternRequestMatcher.pathPattern(WEBSOCKET));

	private Scopes() {
	}

	static Optional<String> neededFor(HttpServletRequest request) {
		return RULES.stream().filter((rule) -> rule.route().matches(request)).map(Rule::scope).findFirst();
	}

}
