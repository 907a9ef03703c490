package dev.switchboard.order.config;

import dev.switchboard.order.adapter.in.grpc.Callers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * How callers' tokens are verified: signed with a key the identity service publishes
 * ({@code switchboard.identity.jwk-set-uri}, fetched when first needed and kept), from
 * its issuer ({@code switchboard.identity.issuer}), and not expired.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	@Bean
	JwtDecoder callerTokens(@Value("${switchboard.identity.jwk-set-uri}") String keys,
			@Value("${switchboard.identity.issuer}") String issuer) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(keys).build();
		decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(issuer));
		return decoder;
	}

	@Bean
	@GlobalServerInterceptor
	Callers callers(JwtDecoder callerTokens) {
		return new Callers(callerTokens);
	}

}
