package dev.switchboard.gateway.security;

import java.time.Clock;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.BeanPostProcessor;

import dev.switchboard.platform.security.VerifiedTokens;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The gateway as an OAuth2 resource server. Tokens are JWTs signed by the identity
 * service, verified with the keys it publishes
 * ({@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri}) and checked to come
 * from the expected issuer ({@code ...jwt.issuer-uri}); a token's {@code scope} claim
 * grants the routes of {@link Scopes}. Nothing is kept between requests: no session, no
 * cookie, so no CSRF to guard against.
 *
 * <p>
 * The security filters run after the request body has been read and before load shedding
 * ({@code spring.security.filter.order}): a request without a valid token is refused
 * without taking a permit that an authorised one could use.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimits.class)
class EdgeSecurity {

	@Bean
	SecurityFilterChain edge(HttpSecurity http, JsonMapper json) throws Exception {
		ProblemWriter problems = new ProblemWriter(json);
		AuthenticationEntryPoint unauthenticated = unauthenticated(problems);
		AccessDeniedHandler denied = denied(problems);
		http.authorizeHttpRequests((requests) -> {
			Scopes.RULES
				.forEach((rule) -> requests.requestMatchers(rule.route()).hasAuthority("SCOPE_" + rule.scope()));
			Scopes.PROTECTED.forEach((route) -> requests.requestMatchers(route).authenticated());
			requests.anyRequest().permitAll();
		}).oauth2ResourceServer((resourceServer) -> resourceServer.jwt((jwt) -> {
		}).bearerTokenResolver(tokens()).authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(AbstractHttpConfigurer::disable)
			.csrf(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable);
		return http.build();
	}

	/** Every token decoder of the gateway keeps the tokens it verified a while. */
	@Bean
	static BeanPostProcessor verifiedTokens() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				return (bean instanceof JwtDecoder decoder && !(bean instanceof VerifiedTokens))
						? new VerifiedTokens(decoder, VerifiedTokens.DEFAULT_KEEP, Clock.systemUTC()) : bean;
			}
		};
	}

	/**
	 * Tokens in the {@code Authorization} header; for the WebSocket handshake of
	 * {@code /ws/orders} alone also in the {@code access_token} query parameter, as a
	 * browser's WebSocket cannot send headers (RFC 6750 §2.3).
	 */
	private static BearerTokenResolver tokens() {
		DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
		DefaultBearerTokenResolver headerOrQuery = new DefaultBearerTokenResolver();
		headerOrQuery.setAllowUriQueryParameter(true);
		return (request) -> Scopes.WEBSOCKET.equals(request.getRequestURI()) ? headerOrQuery.resolve(request)
				: header.resolve(request);
	}

	/**
	 * Rate limits right after authentication (which knows the client) and before load
	 * shedding ({@code HIGHEST_PRECEDENCE + 10}).
	 */
	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimits(RateLimits limits, JsonMapper json) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
				new RateLimitFilter(limits, new ProblemWriter(json)));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 9);
		return registration;
	}

	/**
	 * 401: no token, or one that is not valid. The standard entry point sets
	 * {@code WWW-Authenticate: Bearer} (with the error, for a bad token); the body says
	 * what to do.
	 */
	private static AuthenticationEntryPoint unauthenticated(ProblemWriter problems) {
		BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
		return (request, response, ex) -> {
			bearer.commence(request, response, ex);
			problems.write(request, response, HttpStatus.UNAUTHORIZED, explain(ex));
		};
	}

	private static String explain(AuthenticationException ex) {
		if (ex instanceof InvalidBearerTokenException) {
			return "the bearer token is not valid (" + ex.getMessage() + "); get a new one from POST /oauth2/token";
		}
		return "this needs an access token: get one from POST /oauth2/token (client credentials) and send it as "
				+ "'Authorization: Bearer <token>'";
	}

	/**
	 * 403: a valid token without the scope the route needs; the standard handler sets
	 * {@code WWW-Authenticate: Bearer error="insufficient_scope"}.
	 */
	private static AccessDeniedHandler denied(ProblemWriter problems) {
		BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
		return (request, response, ex) -> {
			bearer.handle(request, response, ex);
			String detail = Scopes.neededFor(request)
				.map((scope) -> "the token does not grant the scope this needs: " + scope)
				.orElse("the token does not grant access to this");
			problems.write(request, response, HttpStatus.FORBIDDEN, detail);
		};
	}

}
