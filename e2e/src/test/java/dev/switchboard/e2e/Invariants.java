package dev.switchboard.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

import static dev.switchboard.e2e.Api.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The invariants of DESIGN.md, checked from outside through the public API and the
 * services' internal read endpoints, once the platform has settled. Reusable by any
 * scenario that knows every order it placed and how each must end (load, chaos, sagas).
 *
 * <ol>
 * <li>Every accepted order reaches COMPLETED or CANCELLED (and its saga ends).</li>
 * <li>A COMPLETED order has one approved charge and one shipment.</li>
 * <li>A CANCELLED order has no net charge and no remaining reservation or shipment.</li>
 * <li>Stock is conserved: initial = available + reserved + shipped per SKU, nothing left
 * reserved, and every reservation settled the way its order ended.</li>
 * <li>No effect twice: one payment, one shipment, one email of each kind per order.</li>
 * <li>Emails, from the mail sink's files (ground truth, not the notification table): at most
 * one email of each kind per order (copies of one email, which share its Message-ID, count
 * once), and every notification recorded was sent.</li>
 * <li>Money, from the card provider's own books (ground truth, not the payment table): a
 * completed order was charged once and never refunded, a cancelled one was refunded exactly
 * what it was charged, and no order was charged twice.</li>
 * <li>Analytics totals equal the order service's once the stream is drained.</li>
 * </ol>
 */
final class Invariants {

	private final String api;

	private final ToIntFunction<String> httpPort;

	private final Duration settle;

	private final Path mailDirectory;

	/**
	 * @param api the gateway's {@code /api/v1} URL
	 * @param httpPort the HTTP port of an internal service, by name
	 * @param mailDirectory where the mail sink keeps every email it received
	 * @param settle how long the platform may take to settle
	 */
	Invariants(String api, ToIntFunction<String> httpPort, Path mailDirectory, Duration settle) {
		this.api = api;
		this.httpPort = httpPort;
		this.mailDirectory = mailDirectory;
		this.settle = settle;
	}

	/**
	 * Checks every invariant for these orders (all the platform has) and their expected ends:
	 * {@code COMPLETED}, {@code CANCELLED}, or {@code TERMINAL} when either is right (a
	 * crash may time a step out).
	 */
	void assertHold(Map<String, String> expected) {
		Map<String, String> expectedEnds = new HashMap<>();
		expected.forEach((id, end) -> await().atMost(this.settle).untilAsserted(() -> {
			String status = get(this.api + "/orders/" + id).json().get("status").asText();
			assertThat(status).as("order %s", id)
				.isIn(end.equals("TERMINAL") ? List.of("COMPLETED", "CANCELLED") : List.of(end));
			assertThat(get(this.api + "/orders/" + id + "/saga").json().get("status").asText()).as("saga of %s", id)
				.isEqualTo(status.equals("COMPLETED") ? "completed" : "cancelled");
			expectedEnds.put(id, status);
		}));

		await().atMost(this.settle).untilAsserted(() -> {
			Map<String, String> payments = byOrder("payment", "/internal/payments", "status");
			Map<String, String> shipments = byOrder("shipping", "/internal/shipments", "status");
			Map<String, String> reservations = byOrder("inventory", "/internal/reservations", "state");
			expectedEnds.forEach((id, end) -> {
				if (end.equals("COMPLETED")) {
					assertThat(payments.get(id)).as("charge of completed %s", id).isEqualTo("APPROVED");
					assertThat(shipments.get(id)).as("shipment of completed %s", id).isEqualTo("CREATED");
					assertThat(reservations.get(id)).as("reservation of completed %s", id).isEqualTo("ALLOCATED");
				}
				else {
					assertThat(payments.getOrDefault(id, "NONE")).as("charge of cancelled %s", id)
						.isIn("NONE", "DECLINED", "REFUNDED", "VOIDED");
					assertThat(shipments.getOrDefault(id, "NONE")).as("shipment of cancelled %s", id)
						.isIn("NONE", "REJECTED", "CANCELLED");
					assertThat(reservations.get(id)).as("reservation of cancelled %s", id).isEqualTo("RELEASED");
				}
			});
		});

		await().atMost(this.settle).untilAsserted(() -> {
			Map<String, List<String>> ledger = providerLedger();
			expectedEnds.forEach((id, end) -> {
				List<String> entries = ledger.getOrDefault(id, List.of());
				assertThat(entries.stream().filter((e) -> e.startsWith("CHARGE")).count())
					.as("provider charges of %s: %s", id, entries)
					.isLessThanOrEqualTo(1);
				if (end.equals("COMPLETED")) {
					assertThat(entries).as("provider books of completed %s", id).containsExactly("CHARGE approved");
				}
				else {
					assertThat(entries).as("provider books of cancelled %s", id)
						.isIn(List.of(), List.of("CHARGE declined"), List.of("CHARGE approved", "REFUND approved"));
				}
			});
		});

		await().atMost(this.settle).untilAsserted(() -> internalPages("inventory", "/internal/stock", "sku").forEach((s) -> {
			assertThat(s.get("reserved").asInt()).as("reserved %s", s).isZero();
			assertThat(s.get("available").asInt() + s.get("reserved").asInt() + s.get("shipped").asInt())
				.as("conserved %s", s)
				.isEqualTo(s.get("initial").asInt());
		}));

		expectedEnds.keySet().forEach((id) -> {
			Set<String> kinds = new HashSet<>();
			get(this.api + "/orders/" + id + "/notifications").json()
				.forEach((n) -> assertThat(kinds.add(n.get("kind").asText())).as("one %s email for %s", n, id).isTrue());
		});
		await().atMost(this.settle).untilAsserted(() -> {
			Map<String, Map<String, Set<String>>> mails = mailsByOrderAndKind();
			expectedEnds.keySet().forEach((id) -> {
				Map<String, Set<String>> byKind = mails.getOrDefault(id, Map.of());
				byKind.forEach((kind, messageIds) -> assertThat(messageIds)
					.as("emails of kind %s sent for order %s (distinct Message-IDs)", kind, id)
					.hasSize(1));
				get(this.api + "/orders/" + id + "/notifications").json()
					.forEach((n) -> assertThat(byKind).as("the mail sink's emails of order %s", id)
						.containsKey(n.get("kind").asText()));
			});
		});

		long completed = expectedEnds.values().stream().filter("COMPLETED"::equals).count();
		await().atMost(this.settle).untilAsserted(() -> {
			JsonNode summary = get(this.api + "/analytics/summary").json();
			assertThat(summary.get("ordersCreated").asLong()).isEqualTo(expectedEnds.size());
			assertThat(summary.get("ordersCompleted").asLong()).isEqualTo(completed);
			assertThat(summary.get("ordersCancelled").asLong()).isEqualTo(expectedEnds.size() - completed);
		});
	}

	/** Every email the mail sink received: by order, by kind, the Message-IDs. */
	private Map<String, Map<String, Set<String>>> mailsByOrderAndKind() throws IOException {
		Map<String, Map<String, Set<String>>> mails = new HashMap<>();
		try (Stream<Path> files = Files.list(this.mailDirectory)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".eml")).toList()) {
				Map<String, String> headers = headers(Files.readAllLines(file));
				String order = headers.get("x-switchboard-order");
				if (order != null) {
					mails.computeIfAbsent(order, (o) -> new HashMap<>())
						.computeIfAbsent(headers.getOrDefault("x-switchboard-kind", "?"), (k) -> new HashSet<>())
						.add(headers.getOrDefault("message-id", file.getFileName().toString()));
				}
			}
		}
		return mails;
	}

	/** An email's headers (up to the first empty line), names in lower case. */
	private static Map<String, String> headers(List<String> lines) {
		Map<String, String> headers = new HashMap<>();
		for (String line : lines) {
			if (line.isEmpty()) {
				break;
			}
			int colon = line.indexOf(':');
			if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
				headers.put(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).strip());
			}
		}
		return headers;
	}

	/** The card provider's entries by order, "KIND approved|declined", read page by page. */
	private Map<String, List<String>> providerLedger() {
		Map<String, List<String>> byOrder = new HashMap<>();
		long after = 0;
		while (true) {
			List<JsonNode> page = internal("payment", "/internal/provider-ledger?limit=1000&after=" + after);
			if (page.isEmpty()) {
				return byOrder;
			}
			for (JsonNode entry : page) {
				byOrder.computeIfAbsent(entry.get("orderId").asText(), (id) -> new java.util.ArrayList<>())
					.add(entry.get("kind").asText() + (entry.get("approved").asBoolean() ? " approved" : " declined"));
				after = entry.get("id").asLong();
			}
		}
	}

	private List<JsonNode> internal(String service, String path) {
		JsonNode all = get("http://127.0.0.1:" + this.httpPort.applyAsInt(service) + path).json();
		return java.util.stream.StreamSupport.stream(all.spliterator(), false).toList();
	}

	private List<JsonNode> internalPages(String service, String path, String keyField) {
		return Api.allPages("http://127.0.0.1:" + this.httpPort.applyAsInt(service) + path, keyField);
	}

	/** Rows of an internal listing by order id; a second row for one order fails the check. */
	private Map<String, String> byOrder(String service, String path, String field) {
		Map<String, String> byOrder = new HashMap<>();
		for (JsonNode row : internalPages(service, path, "orderId")) {
			String previous = byOrder.put(row.get("orderId").asText(), row.get(field).asText());
			assertThat(previous).as("one %s row per order (%s)", service, row).isNull();
		}
		return byOrder;
	}

}
