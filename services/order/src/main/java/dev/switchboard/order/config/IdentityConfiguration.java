package dev.switchboard.order.config;

import java.time.Clock;
import java.time.Duration;

import dev.switchboard.order.adapter.in.grpc.Callers;
import dev.switchboard.platform.security.InternalHttp;
import dev.switchboard.platform.security.VerifiedTokens;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

/**
 * How callers' tokens are verified: signed with a key the identity service publishes
 * ({@code switchboard.identity.jwk-set-uri}, fetched when first needed and kept), from
 * its issuer ({@code switchboard.identity.issuer}), and not expired.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	private static final Duration KEYS_TIMEOUT = Duration.ofSeconds(5);

	@Bean
	JwtDecoder callerTokens(@Value("${switchboard.identity.jwk-set-uri}") String keys,
			@Value("${switchboard.identity.issuer}") String issuer, InternalHttp http) {
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				http.clientFor("identity").connectTimeout(KEYS_TIMEOUT).build());
		requests.setReadTimeout(KEYS_TIMEOUT);
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(keys)
			.restOperations(new RestTemplate(requests))
			.build();
		decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(issuer));
		// A client's token comes with every call it makes for 15 minutes: verified once.
		return new VerifiedTokens(decoder, VerifiedTokens.DEFAULT_KEEP, Clock.systemUTC());
	}

	@Bean
	@GlobalServerInterceptor
	Callers callers(JwtDecoder callerTokens) {
		return new Callers(callerTokens);
	}

}
