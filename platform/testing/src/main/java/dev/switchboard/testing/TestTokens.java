package dev.switchboard.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the identity service in a service's own tests: an RSA key, its public
 * half served as a JWK set over real HTTP, and tokens signed with it the way the identity
 * service signs them (RS256, the client as subject, a {@code scope} list). Its
 * {@code /oauth2/token} knows the demo client alone, with the client credentials grant,
 * and grants every scope asked for.
 */
public final class TestTokens implements AutoCloseable {

	public static final String ISSUER = "http://localhost:8080";

	private final RSAKey key;

	private final HttpServer server;

	private TestTokens(RSAKey key, HttpServer server) {
		this.key = key;
		this.server = server;
	}

	public static TestTokens start() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString())
				.algorithm(JWSAlgorithm.RS256)
				.generate();
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			byte[] keys = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
			server.createContext("/oauth2/jwks", (exchange) -> {
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, keys.length);
				try (OutputStream body = exchange.getResponseBody()) {
					body.write(keys);
				}
			});
			server.createContext("/oauth2/token", (exchange) -> {
				String expected = "Basic " + java.util.Base64.getEncoder()
					.encodeToString("demo-client:demo-secret".getBytes(StandardCharsets.UTF_8));
				String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				boolean known = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))
						&& java.util.Arrays.asList(form.split("&")).contains("grant_type=client_credentials");
				String[] scopes = java.util.Arrays.stream(form.split("&"))
					.filter((field) -> field.startsWith("scope="))
					.map((field) -> java.net.URLDecoder.decode(field.substring(6), StandardCharsets.UTF_8))
					.findFirst()
					.orElse("")
					.split(" ");
				byte[] answer = (known
						? "{\"access_token\":\"" + issue("demo-client", ISSUER, Duration.ofMinutes(5), key, scopes)
								+ "\",\"token_type\":\"Bearer\",\"expires_in\":299}"
						: "{\"error\":\"invalid_client\"}")
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.getResponseHeaders().set("Cache-Control", "no-store");
				exchange.sendResponseHeaders(known ? 200 : 401, answer.length);
				try (OutputStream body = exchange.getResponseBody()) {
					body.write(answer);
				}
			});
			server.start();
			return new TestTokens(key, server);
		}
		catch (JOSEException | IOException ex) {
			throw new IllegalStateException("cannot start the test token issuer", ex);
		}
	}

	/** Where the stand-in answers, as the identity service's URL. */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** Where the keys are: the value of a {@code jwk-set-uri}. */
	public String jwkSetUri() {
		return baseUrl() + "/oauth2/jwks";
	}

	/** A token for {@code subject} with these scopes, valid for five minutes. */
	public String issue(String subject, String... scopes) {
		return issue(subject, ISSUER, Duration.ofMinutes(5), this.key, scopes);
	}

	/** A token like {@link #issue} but from another issuer. */
	public String issueAs(String issuer, String subject, String... scopes) {
		return issue(subject, issuer, Duration.ofMinutes(5), this.key, scopes);
	}

	/** A token that expired five minutes ago (beyond any clock skew allowed). */
	public String expired(String subject, String... scopes) {
		return issue(subject, ISSUER, Duration.ofMinutes(-5), this.key, scopes);
	}

	/** A token signed with a key nobody published. */
	public String forged(String subject, String... scopes) {
		try {
			return issue(subject, ISSUER, Duration.ofMinutes(5),
					new RSAKeyGenerator(2048).keyID(this.key.getKeyID()).algorithm(JWSAlgorithm.RS256).generate(),
					scopes);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String issue(String subject, String issuer, Duration life, RSAKey key, String... scopes) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
			.issuer(issuer)
			.audience(subject)
			.claim("scope", List.of(scopes))
			.issueTime(Date.from(now.plus(life).minus(Duration.ofMinutes(10))))
			.notBeforeTime(Date.from(now.plus(life).minus(Duration.ofMinutes(10))))
			.expirationTime(Date.from(now.plus(life)))
			.jwtID(UUID.randomUUID().toString())
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
