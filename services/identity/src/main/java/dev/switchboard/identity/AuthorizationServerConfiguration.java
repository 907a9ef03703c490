package dev.switchboard.identity;

import java.nio.file.Path;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The protocol endpoints ({@code /oauth2/token}, {@code /oauth2/jwks}, the server's
 * metadata) and nothing else: there are no users to log in, only clients. The clients,
 * the issuer and the tokens' lifetime come from
 * {@code spring.security.oauth2.authorizationserver.*}; the signing key from
 * {@code switchboard.identity.signing-key-file}.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		RequestMatcher endpoints = server.getEndpointsMatcher();
		http.securityMatcher(endpoints)
			.with(server, Customizer.withDefaults())
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	/**
	 * Everything else (actuator, the platform's admin endpoints, which guard themselves
	 * with the admin token) is left to the service's own rules; this server listens on
	 * this machine only.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	@Bean
	JWKSource<SecurityContext> jwkSource(@Value("${switchboard.identity.signing-key-file:}") String keyFile) {
		return new ImmutableJWKSet<>(new JWKSet(SigningKey.load(keyFile.isBlank() ? null : Path.of(keyFile))));
	}

	@Bean
	OAuth2AuthorizationService authorizations() {
		return new UnrecordedAuthorizations();
	}

}
