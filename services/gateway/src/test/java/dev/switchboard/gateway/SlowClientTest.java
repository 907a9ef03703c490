package dev.switchboard.gateway;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends its body slowly, on a real socket, to a gateway that sheds beyond
 * one request in progress: the body is read before the request takes that one permit, so
 * everyone else is still served, and the slow client gets a 408.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "switchboard.shedding.max-concurrent-requests=1", "switchboard.gateway.body-read-timeout=1s",
				"server.tomcat.connection-timeout=2s" })
class SlowClientTest {

	@LocalServerPort
	int port;

	@Test
	void aSlowBodyTakesNoSheddingPermitAndEndsIn408() throws Exception {
		try (Socket slow = new Socket("127.0.0.1", this.port); HttpClient http = HttpClient.newHttpClient()) {
			slow.setSoTimeout(10_000);
			OutputStream out = slow.getOutputStream();
			out.write(("POST /api/v1/orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: 100\r\n\r\n{\"customerId\":")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();

			// Another client, meanwhile: answered (404, no such route), not shed (503).
			for (int i = 0; i < 3; i++) {
				HttpResponse<String> other = http
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/nothing"))
						.timeout(Duration.ofSeconds(5))
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(other.statusCode()).as(other.body()).isEqualTo(404);
			}

			InputStream in = slow.getInputStream();
			String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
			assertThat(answer).isEqualTo("HTTP/1.1 408");
		}
	}

}
