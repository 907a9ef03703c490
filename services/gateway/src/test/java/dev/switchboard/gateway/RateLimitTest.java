package dev.switchboard.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.testing.TestTokens;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits per client and per address, on a gateway running for real with limits small
 * enough to reach: a client over its limit gets 429 with Retry-After and the RateLimit
 * fields, and no other caller is held back by it. The routes asked for need no service
 * behind the gateway (404 after authentication). Each burst is sent after a warm-up, in
 * far less than the second a limit of one request per second takes to refill a token; the
 * assertions allow that one refill.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"switchboard.gateway.rate-limits.clients.tiny.rate=1", "switchboard.gateway.rate-limits.clients.tiny.burst=2",
		"switchboard.gateway.rate-limits.default-client.rate=1000",
		"switchboard.gateway.rate-limits.default-client.burst=1000", "switchboard.gateway.rate-limits.anonymous.rate=1",
		"switchboard.gateway.rate-limits.anonymous.burst=2" })
class RateLimitTest {

	private static final TestTokens tokens = TestTokens.start();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry registry) {
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwkSetUri);
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestTokens.ISSUER);
	}

	@AfterAll
	static void stop() {
		tokens.close();
	}

	@Test
	void aClientOverItsLimitGets429AndOthersGoOn() throws Exception {
		String other = tokens.issue("someone-else", "orders:read");
		for (int i = 0; i < 3; i++) {
			assertThat(get(other).statusCode()).as("warm-up").isEqualTo(404);
		}
		String tiny = tokens.issue("tiny", "orders:read");

		List<HttpResponse<String>> answers = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			answers.add(get(tiny));
		}

		HttpResponse<String> first = answers.getFirst();
		assertThat(first.statusCode()).isEqualTo(404);
		assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"client\";q=2;w=2");
		assertThat(first.headers().firstValue("RateLimit")).hasValue("\"client\";r=1;t=1");
		List<HttpResponse<String>> limited = answers.stream().filter((a) -> a.statusCode() == 429).toList();
		assertThat(limited).as("2 at once, 1 more per second").hasSizeGreaterThanOrEqualTo(2);
		HttpResponse<String> refused = limited.getFirst();
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refused.body()).contains("\"status\":429", "more than 1 requests per second (bursts of 2)");
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(refused.headers().firstValue("RateLimit")).hasValue("\"client\";r=0;t=1");

		assertThat(get(other).statusCode()).as("another client is not held back").isEqualTo(404);
	}

	@Test
	void requestsWithoutATokenAreLimitedPerAddress() throws Exception {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> answer = this.http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			statuses.add(answer.statusCode());
			assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"address\";q=2;w=2");
		}
		assertThat(statuses.getFirst()).isEqualTo(200);
		assertThat(statuses).filteredOn((status) -> status == 429).hasSizeGreaterThanOrEqualTo(2);
	}

	private HttpResponse<String> get(String token) throws Exception {
		return this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/orders/o-1/nothing-here"))
					.header("Authorization", "Bearer " + token)
					.build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
