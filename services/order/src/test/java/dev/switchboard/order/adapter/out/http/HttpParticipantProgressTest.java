package dev.switchboard.order.adapter.out.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.order.domain.saga.StepName;
import dev.switchboard.order.domain.saga.StepProgress;
import dev.switchboard.platform.security.InternalHttp;
import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.mock.env.MockEnvironment;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the saga asks about overdue steps, against a stand-in payment on a real socket: a
 * step a synchronous call triggered is never asked about (no queue holds it), one an
 * event or a queued command triggered is, whatever the orchestrated charge's transport.
 */
class HttpParticipantProgressTest {

	private HttpServer payment;

	/** The bodies of the status questions payment was asked. */
	private final Queue<String> asked = new ConcurrentLinkedQueue<>();

	@BeforeEach
	void start() throws IOException {
		this.payment = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.payment.createContext("/internal/messages/status", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.asked.add(body);
			byte[] answer = "{\"messages\":[{\"id\":\"event-1\",\"state\":\"UNSEEN\",\"outputPending\":false}]}"
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		this.payment.start();
	}

	@AfterEach
	void stop() {
		this.payment.stop(0);
	}

	@Test
	void aCallsStepIsNotAskedAboutAndAnEventsIsEvenWithTheChargeOnGrpc() {
		HttpParticipantProgress progress = progressWith(Map.of("switchboard.transports.payment", "grpc"));

		Map<String, StepProgress> said = progress.of(StepName.CHARGE, List.of("call:6b1e", "event-1"));

		assertThat(this.asked).singleElement()
			.satisfies((body) -> assertThat(body).contains("event-1").doesNotContain("call:"));
		assertThat(said).containsOnlyKeys("event-1");
		assertThat(said.get("event-1")).isInstanceOf(StepProgress.Waiting.class);
	}

	@Test
	void onlyCallsStepsAskNothing() {
		HttpParticipantProgress progress = progressWith(Map.of());

		assertThat(progress.of(StepName.CHARGE, List.of("call:6b1e"))).isEmpty();
		assertThat(this.asked).isEmpty();
	}

	private HttpParticipantProgress progressWith(Map<String, String> properties) {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("switchboard.services.payment.url", "http://127.0.0.1:" + this.payment.getAddress().getPort())
			.withProperty("switchboard.admin.token", "s3cret");
		properties.forEach(environment::setProperty);
		return new HttpParticipantProgress(environment, new ServiceCredential(""), InternalHttp.plain(),
				RestClient.builder());
	}

}
