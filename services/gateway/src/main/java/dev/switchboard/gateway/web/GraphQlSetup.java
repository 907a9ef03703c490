package dev.switchboard.gateway.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolationException;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.schema.DataFetchingEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.resilience.EdgeUnavailableException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.graphql.server.support.BearerTokenAuthenticationExtractor;
import org.springframework.graphql.server.webmvc.AuthenticationWebSocketInterceptor;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.web.client.RestClientException;

/**
 * What GraphQL at {@code /graphql} needs besides its schema and controllers: limits on
 * what one query may ask (its depth and its number of fields, checked before anything
 * runs), authentication of WebSocket connections by the token in {@code connection_init}
 * (a browser cannot set headers on a WebSocket), and errors that say what went wrong as
 * REST's problems do, with the HTTP status they stand for in {@code extensions.status}.
 */
@Configuration(proxyBeanMethods = false)
class GraphQlSetup {

	private static final Logger log = LoggerFactory.getLogger(GraphQlSetup.class);

	/** 503 and 504: nothing done, or not known; try again (after {@code retryAfter}). */
	static final ErrorClassification UNAVAILABLE = ErrorClassification.errorClassification("UNAVAILABLE");

	/** 429: more than this client may have at once (live streams); try again later. */
	static final ErrorClassification TOO_MANY = ErrorClassification.errorClassification("TOO_MANY_REQUESTS");

	/**
	 * Nesting deeper than this is refused (introspection, as GraphiQL sends it, fits).
	 */
	@Bean
	MaxQueryDepthInstrumentation maxQueryDepth(@Value("${switchboard.gateway.graphql.max-depth:15}") int depth) {
		return new MaxQueryDepthInstrumentation(depth);
	}

	/** More fields than this in one query (aliases included) are refused. */
	@Bean
	MaxQueryComplexityInstrumentation maxQueryComplexity(
			@Value("${switchboard.gateway.graphql.max-complexity:500}") int complexity) {
		return new MaxQueryComplexityInstrumentation(complexity);
	}

	@Bean
	AuthenticationWebSocketInterceptor graphQlWebSocketAuthentication(JwtDecoder tokens) {
		return new AuthenticationWebSocketInterceptor(new BearerTokenAuthenticationExtractor(),
				new ProviderManager(new JwtAuthenticationProvider(tokens)));
	}

	@Bean
	DataFetcherExceptionResolverAdapter graphQlErrors() {
		return new DataFetcherExceptionResolverAdapter() {

			@Override
			protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment environment) {
				ErrorAnswer answer = answer(ex);
				return (answer != null) ? answer.toError(GraphqlErrorBuilder.newError(environment)) : null;
			}

		};
	}

	@Bean
	SubscriptionExceptionResolverAdapter graphQlSubscriptionErrors() {
		return new SubscriptionExceptionResolverAdapter() {

			@Override
			protected GraphQLError resolveToSingleError(Throwable ex) {
				ErrorAnswer answer = answer(ex);
				return (answer != null) ? answer.toError(GraphqlErrorBuilder.newError()) : null;
			}

		};
	}

	/** What a failure means to the client, or null for GraphQL's own "internal error". */
	static ErrorAnswer answer(Throwable ex) {
		if (ex instanceof UpstreamException upstream) {
			return new ErrorAnswer(classify(upstream.status()), upstream.getMessage(), upstream.status(),
					upstream.retryAfter());
		}
		if (ex instanceof EdgeUnavailableException edge) {
			return new ErrorAnswer(UNAVAILABLE, edge.getMessage(), HttpStatus.SERVICE_UNAVAILABLE, edge.retryAfter());
		}
		if (ex instanceof ConstraintViolationException invalid) {
			String detail = invalid.getConstraintViolations()
				.stream()
				.map((v) -> v.getPropertyPath() + ": " + v.getMessage())
				.sorted()
				.collect(Collectors.joining("; "));
			return new ErrorAnswer(ErrorType.BAD_REQUEST, detail, HttpStatus.BAD_REQUEST, null);
		}
		if (ex instanceof RestClientException) {
			log.warn("Downstream REST call failed: {}", ex.toString());
			return new ErrorAnswer(UNAVAILABLE, "a service is unavailable", HttpStatus.SERVICE_UNAVAILABLE,
					Duration.ofSeconds(1));
		}
		return null;
	}

	private static ErrorClassification classify(HttpStatus status) {
		return switch (status) {
			case BAD_REQUEST, CONFLICT, UNPROCESSABLE_CONTENT -> ErrorType.BAD_REQUEST;
			case UNAUTHORIZED -> ErrorType.UNAUTHORIZED;
			case FORBIDDEN -> ErrorType.FORBIDDEN;
			case NOT_FOUND -> ErrorType.NOT_FOUND;
			case SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT -> UNAVAILABLE;
			case TOO_MANY_REQUESTS -> TOO_MANY;
			default -> ErrorType.INTERNAL_ERROR;
		};
	}

	record ErrorAnswer(ErrorClassification type, String message, HttpStatus status, Duration retryAfter) {

		GraphQLError toError(GraphqlErrorBuilder<?> error) {
			Map<String, Object> extensions = new LinkedHashMap<>();
			extensions.put("status", this.status.value());
			if (this.retryAfter != null) {
				extensions.put("retryAfter", Math.max(1, this.retryAfter.toSeconds()));
			}
			return error.errorType(this.type).message(this.message).extensions(extensions).build();
		}

	}

}
