package dev.switchboard.identity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token endpoint as a client meets it, over real HTTP: the client credentials grant
 * gives a signed JWT for the demo client that the published keys verify, naming the
 * client as its subject, the scopes granted and the configured issuer, and living at most
 * 15 minutes; a wrong secret or a scope the client does not have gets no token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.security.oauth2.authorizationserver.issuer=http://localhost:18080")
class IdentityServiceTest {

	@TempDir
	static Path keys;

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void keyFile(DynamicPropertyRegistry registry) {
		registry.add("switchboard.identity.signing-key-file", () -> keys.resolve("signing-key.json").toString());
	}

	@Test
	void theDemoClientGetsASignedShortLivedJwtForItsScopes() throws Exception {
		HttpResponse<String> response = token("demo-client", "demo-secret", "orders:read orders:write");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode answer = this.json.readTree(response.body());
		assertThat(answer.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(answer.get("expires_in").asLong()).isBetween(60L, 900L);
		SignedJWT jwt = SignedJWT.parse(answer.get("access_token").asString());
		assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
		JWKSet published = JWKSet.parse(get("/oauth2/jwks").body());
		RSAKey key = (RSAKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(key).as("the token's key is published").isNotNull();
		assertThat(key.isPrivate()).as("only the public half is published").isFalse();
		assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("demo-client");
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("http://localhost:18080");
		assertThat(jwt.getJWTClaimsSet().getStringListClaim("scope")).containsExactlyInAnyOrder("orders:read",
				"orders:write");
		Instant issued = jwt.getJWTClaimsSet().getIssueTime().toInstant();
		Instant expires = jwt.getJWTClaimsSet().getExpirationTime().toInstant();
		assertThat(Duration.between(issued, expires)).isLessThanOrEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void theSigningKeyIsKeptInAFileOnlyItsOwnerCanRead() throws Exception {
		Path file = keys.resolve("signing-key.json");
		assertThat(file).exists();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		RSAKey kept = RSAKey.parse(Files.readString(file));
		assertThat(kept.isPrivate()).isTrue();
		assertThat(JWKSet.parse(get("/oauth2/jwks").body()).getKeyByKeyId(kept.getKeyID())).isNotNull();
		assertThat(SigningKey.load(file).getKeyID()).as("read again, not made anew").isEqualTo(kept.getKeyID());
	}

	@Test
	void aWrongSecretOrAScopeTheClientLacksGetsNoToken() throws Exception {
		HttpResponse<String> wrongSecret = token("demo-client", "not-the-secret", "orders:read");
		assertThat(wrongSecret.statusCode()).isEqualTo(401);
		assertThat(wrongSecret.body()).contains("invalid_client").doesNotContain("access_token");

		HttpResponse<String> unknownClient = token("nobody", "demo-secret", "orders:read");
		assertThat(unknownClient.statusCode()).isEqualTo(401);

		HttpResponse<String> foreignScope = token("demo-client", "demo-secret", "orders:read admin");
		assertThat(foreignScope.statusCode()).isEqualTo(400);
		assertThat(foreignScope.body()).contains("invalid_scope").doesNotContain("access_token");
	}

	@Test
	void onlyTheProtocolEndpointsAreServed() throws Exception {
		assertThat(get("/oauth2/authorize").statusCode()).isNotEqualTo(200);
		for (String path : List.of("/internal/faults", "/admin/faults")) {
			assertThat(get(path).statusCode()).as(path).isIn(401, 403);
		}
	}

	private HttpResponse<String> token(String client, String secret, String scope) throws Exception {
		String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("grant_type=client_credentials&scope=" + scope.replace(" ", "%20")))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
