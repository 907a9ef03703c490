package dev.switchboard.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An order's status changes as server-sent events through the real gateway, fed by the
 * order service's StreamOrderUpdates: each change once, in order, live while the order is
 * in progress, and resumed after the last event a client had, also by a gateway that was
 * killed and started again in between.
 */
@PlatformTest
@Order(5)
class LiveUpdatesIT {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	@Order(10)
	void everyStatusChangeArrivesOnceInOrderAndTheStreamEndsWithTheOrder() throws Exception {
		String id;
		List<Event> events;
		// The charge held for 3 s: the stream is open before the order is paid.
		switchboard("fault", "payment", "--latency", "3s", "--route", "queue:switchboard.payment.commands", "--for",
				"60s", "--data-dir", dataDir.toString());
		try {
			id = place("SKU-0076", 1, "tok_visa", "US", "COMPLETED");
			events = read(id, null, Integer.MAX_VALUE);
		}
		finally {
			switchboard("fault", "payment", "--clear", "--data-dir", dataDir.toString());
		}
		assertThat(events).extracting(Event::status).containsExactly("PENDING", "PAID", "COMPLETED");
		assertThat(events).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
		assertThat(events).allSatisfy((event) -> assertThat(event.orderId()).isEqualTo(id));

		// As the suite's client reads it, for the contract; unknown orders are a 404.
		Api.Response whole = get(api + "/orders/" + id + "/events");
		assertThat(whole.header("Content-Type")).startsWith("text/event-stream");
		assertThat(whole.body()).contains("event:status");
		assertThat(get(api.replace("/api/v1", "/api/v2") + "/orders/no-such-order/events").status()).isEqualTo(404);
		assertThat(get(api + "/orders/" + id + "/events", "Last-Event-ID", "not-a-seq").status()).isEqualTo(400);
	}

	@Test
	@Order(20)
	void aClientResumesAfterItsLastEventAlsoFromAGatewayStartedAgain() throws Exception {
		String id = place("SKU-0076", 1, "tok_visa", "US", "COMPLETED");
		List<Event> first = read(id, null, 1);
		assertThat(first).extracting(Event::status).containsExactly("PENDING");

		long gateway = platform.pid("gateway");
		ProcessHandle.of(gateway).ifPresent(ProcessHandle::destroyForcibly);
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			long now = platform.pid("gateway");
			return now != gateway && now > 0 && healthy();
		});

		List<Event> rest = read(id, first.getFirst().id(), Integer.MAX_VALUE);
		assertThat(rest).extracting(Event::status).containsExactly("PAID", "COMPLETED");
		assertThat(rest.getFirst().seq()).isGreaterThan(first.getFirst().seq());
		List<Event> whole = new ArrayList<>(first);
		whole.addAll(rest);
		assertThat(whole).as("exactly what one uninterrupted stream sends")
			.isEqualTo(read(id, null, Integer.MAX_VALUE));
	}

	@Test
	@Order(30)
	void aWebSocketSubscriberGetsTheSameChangesAsTheEventStream() throws Exception {
		String id = place("SKU-0076", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(id);
		String token = new dev.switchboard.launcher.platform.AccessTokens(platform.gatewayUrl(),
				dev.switchboard.launcher.platform.AccessTokens.DEMO,
				dev.switchboard.launcher.platform.AccessTokens.ALL_SCOPES)
			.token();
		java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
		java.net.http.WebSocket socket = this.http.newWebSocketBuilder()
			.buildAsync(
					URI.create(platform.gatewayUrl().replaceFirst("^http", "ws") + "/ws/orders?access_token=" + token),
					new java.net.http.WebSocket.Listener() {

						private final StringBuilder partial = new StringBuilder();

						@Override
						public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket webSocket,
								CharSequence data, boolean last) {
							this.partial.append(data);
							if (last) {
								received.add(this.partial.toString());
								this.partial.setLength(0);
							}
							webSocket.request(1);
							return null;
						}

					})
			.get(10, java.util.concurrent.TimeUnit.SECONDS);
		try {
			socket.sendText("{\"subscribe\": \"" + id + "\"}", true);
			List<String> statuses = new ArrayList<>();
			String message;
			while ((message = received.poll(20, java.util.concurrent.TimeUnit.SECONDS)) != null
					&& !message.contains("\"completed\"")) {
				statuses.add(Api.JSON.readTree(message).get("status").asString());
			}
			assertThat(message).as("the end of the order's updates").isEqualTo("{\"completed\":\"" + id + "\"}");
			assertThat(statuses).isEqualTo(read(id, null, Integer.MAX_VALUE).stream().map(Event::status).toList());
		}
		finally {
			socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done");
		}
	}

	private boolean healthy() {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/actuator/health"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200;
		}
		catch (Exception ex) {
			return false;
		}
	}

	/**
	 * The order's events from after {@code lastEventId} (null: from the first), read as
	 * they arrive, until the stream ends or {@code max} were read.
	 */
	private List<Event> read(String orderId, String lastEventId, int max) throws Exception {
		String token = new dev.switchboard.launcher.platform.AccessTokens(platform.gatewayUrl(),
				dev.switchboard.launcher.platform.AccessTokens.DEMO,
				dev.switchboard.launcher.platform.AccessTokens.ALL_SCOPES)
			.token();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + "/orders/" + orderId + "/events"))
			.header("Authorization", "Bearer " + token)
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(60));
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<Stream<String>> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		List<Event> events = new ArrayList<>();
		try (Stream<String> lines = response.body()) {
			String id = null;
			String data = null;
			Iterator<String> each = lines.iterator();
			while (events.size() < max && each.hasNext()) {
				String line = each.next();
				if (line.startsWith("id:")) {
					id = line.substring(3).strip();
				}
				else if (line.startsWith("data:")) {
					data = line.substring(5).strip();
				}
				else if (line.isEmpty() && data != null) {
					JsonNode json = Api.JSON.readTree(data);
					events.add(new Event(id, json.get("orderId").asString(), json.get("status").asString()));
					id = null;
					data = null;
				}
			}
		}
		return events;
	}

	/** One event: its id and what it says. */
	record Event(String id, String orderId, String status) {

		long seq() {
			return Long.parseLong(this.id);
		}

	}

}
