package dev.switchboard.gateway.security;

import java.util.List;

import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The identity service's token endpoint and keys, at the gateway's address: the one place
 * clients reach. Its answers pass through as they are, in OAuth2's own format (RFC 6749
 * errors such as {@code invalid_client}), which is what OAuth2 clients expect from a
 * token endpoint; the gateway adds only problem+json answers of its own when the identity
 * service cannot be reached.
 */
@RestController
class TokenEndpoints {

	/** What of the identity service's answer the client gets besides the body. */
	private static final List<String> PASSED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CACHE_CONTROL,
			HttpHeaders.PRAGMA, HttpHeaders.WWW_AUTHENTICATE);

	private final RestClient identity;

	private final Edge edge;

	TokenEndpoints(@Qualifier("identityClient") RestClient identity, Edges edges) {
		this.identity = identity;
		this.edge = edges.edge("identity");
	}

	@PostMapping(path = "/oauth2/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<byte[]> token(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String credentials,
			@RequestParam MultiValueMap<String, String> form) {
		MultiValueMap<String, String> body = new LinkedMultiValueMap<>(form);
		// A token request is safe to repeat: a lost answer costs only an unused token.
		return this.edge.call(true,
				(deadline) -> passThrough(this.identity.post()
					.uri("/oauth2/token")
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.headers((headers) -> {
						if (credentials != null) {
							headers.set(HttpHeaders.AUTHORIZATION, credentials);
						}
					})
					.body(body)));
	}

	@GetMapping("/oauth2/jwks")
	ResponseEntity<byte[]> keys() {
		return this.edge.call(true, (deadline) -> passThrough(this.identity.get().uri("/oauth2/jwks")));
	}

	private static ResponseEntity<byte[]> passThrough(RestClient.RequestHeadersSpec<?> request) {
		ResponseEntity<byte[]> answer = request.retrieve()
			// The client's mistakes (bad credentials, unknown scope) are the answer; the
			// identity service's own failures are not, and count against its edge.
			.onStatus(HttpStatusCode::is4xxClientError, (req, res) -> {
			})
			.toEntity(byte[].class);
		HttpHeaders headers = new HttpHeaders();
		PASSED_HEADERS.forEach((name) -> {
			List<String> values = answer.getHeaders().get(name);
			if (values != null) {
				headers.put(name, values);
			}
		});
		byte[] body = answer.getBody();
		if (answer.getStatusCode().is4xxClientError() && (body == null || body.length == 0)) {
			// The server refused without saying why (a request that names no client at
			// all): the error of RFC 6749, section 5.2, so every refusal reads the same.
			boolean unauthenticated = answer.getStatusCode().value() == 401;
			body = ("{\"error\":\"" + (unauthenticated ? "invalid_client" : "invalid_request")
					+ "\",\"error_description\":\""
					+ (unauthenticated ? "client authentication failed: send the client's id and secret with HTTP Basic"
							: "the token request could not be read")
					+ "\"}")
				.getBytes(java.nio.charset.StandardCharsets.UTF_8);
			headers.setContentType(MediaType.APPLICATION_JSON);
		}
		return ResponseEntity.status(answer.getStatusCode()).headers(headers).body(body);
	}

}
