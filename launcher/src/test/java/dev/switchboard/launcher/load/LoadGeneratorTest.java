package dev.switchboard.launcher.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.launcher.platform.AccessTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against a stand-in gateway on a real socket that answers each order
 * request from a script, to show how each answer is counted.
 */
class LoadGeneratorTest {

	/** Answers still to give to order requests, in turn. */
	private final Queue<Integer> script = new ConcurrentLinkedQueue<>();

	/** The Idempotency-Key of every order request received. */
	private final Queue<String> keys = new ConcurrentLinkedQueue<>();

	private final HttpServer gateway = start();

	@AfterEach
	void stop() {
		this.gateway.stop(0);
	}

	@Test
	void anOrderWhoseOutcomeIsUnknownIsSentAgainUnderItsKeyUntilItIsKnownAndALater503IsNotCountedShed()
			throws Exception {
		this.script.addAll(List.of(504, 503, 201));

		LoadGenerator.Result result = loadOneOrder();

		assertThat(this.keys).hasSize(3).allSatisfy((key) -> assertThat(key).startsWith("load-"));
		assertThat(List.copyOf(this.keys)).containsOnly(this.keys.peek());
		assertThat(result.accepted()).isEqualTo(1);
		assertThat(result.shed()).isZero();
		assertThat(result.failed()).isZero();
		assertThat(result.repeated()).isEqualTo(2);
		assertThat(result.acceptedIds()).containsExactly("o-1");
		assertThat(result.completed()).isEqualTo(1);
	}

	@Test
	void aFirst503IsAnAnswerTheOrderWasShedAndIsNotSentAgain() throws Exception {
		this.script.addAll(List.of(503, 201));

		LoadGenerator.Result result = loadOneOrder();

		assertThat(this.keys).hasSize(1);
		assertThat(result.shed()).isEqualTo(1);
		assertThat(result.accepted()).isZero();
		assertThat(result.repeated()).isZero();
		assertThat(result.ok()).isTrue();
	}

	private LoadGenerator.Result loadOneOrder() throws InterruptedException {
		String url = "http://127.0.0.1:" + this.gateway.getAddress().getPort();
		LoadGenerator generator = new LoadGenerator(url,
				new AccessTokens(url, new AccessTokens.Client("load", "s3cret"), AccessTokens.ALL_SCOPES),
				List.of("SKU-0001"), null);
		return generator.load(1, Duration.ofSeconds(1), new PrintStream(new ByteArrayOutputStream()), false);
	}

	private HttpServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/api/v1/orders", this::answer);
			server.createContext("/oauth2/token", (exchange) -> {
				exchange.getRequestBody().readAllBytes();
				boolean known = ("Basic " + java.util.Base64.getEncoder().encodeToString("load:s3cret".getBytes()))
					.equals(exchange.getRequestHeaders().getFirst("Authorization"));
				respond(exchange, known ? 200 : 401,
						known ? "{\"access_token\":\"t-1\",\"token_type\":\"Bearer\",\"expires_in\":300}"
								: "{\"error\":\"invalid_client\"}");
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void answer(HttpExchange exchange) throws IOException {
		if (exchange.getRequestMethod().equals("GET")) {
			respond(exchange, 200, "{\"orderId\":\"o-1\",\"status\":\"COMPLETED\"}");
			return;
		}
		exchange.getRequestBody().readAllBytes();
		assertThat(exchange.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer t-1");
		this.keys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
		int status = this.script.remove();
		if (status != 201) {
			exchange.getResponseHeaders().add("Retry-After", "1");
		}
		respond(exchange, status,
				(status == 201) ? "{\"orderId\":\"o-1\",\"status\":\"PENDING\"}" : "{\"status\":" + status + "}");
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}
