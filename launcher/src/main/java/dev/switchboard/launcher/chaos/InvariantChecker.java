package dev.switchboard.launcher.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.launcher.platform.AdminToken;
import dev.switchboard.launcher.platform.Databases;
import dev.switchboard.launcher.platform.OperatorHttp;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.RunningServices;

/**
 * The invariants of DESIGN.md, checked against a settled platform from the ground truth
 * of each effect, not from what the order service believes:
 *
 * <ol>
 * <li>Every order the platform accepted reaches COMPLETED or CANCELLED and its saga ends
 * the same way; every order a client got a 201 for exists.</li>
 * <li>A COMPLETED order has one approved charge, one shipment and an allocated
 * reservation; a CANCELLED one has no net charge, no shipment and a released
 * reservation.</li>
 * <li>Money, from the card provider's own books: a completed order was charged once and
 * never refunded, a cancelled one was refunded exactly what it was charged, no order was
 * charged twice.</li>
 * <li>Stock is conserved: initial = available + reserved + shipped per SKU, and nothing
 * is left reserved.</li>
 * <li>Emails, from the mail sink's files: at most one email of each kind per order
 * (copies of one email share its Message-ID and count once), one notification of each
 * kind per order, and every notification recorded was sent.</li>
 * <li>Analytics totals equal the order service's.</li>
 * </ol>
 *
 * The order service's own tables are read directly (one query for every order and its
 * saga); the other services through their paged {@code /internal/*} listings; emails from
 * the sink's directory. One {@link #violations} pass reads each source once, so it costs
 * the same for ten orders or ten thousand plus the pages.
 */
public final class InvariantChecker {

	/** The invariants by name, as a violation starts ({@code name: what}). */
	public static final List<String> INVARIANTS = List.of("every acknowledged order exists", "every order ends",
			"every saga ends with its order", "every order ends as expected",
			"a completed order is charged, allocated and shipped", "a cancelled order keeps nothing",
			"no reservation outlives its order", "no effect twice", "money, from the provider's books",
			"stock is conserved", "one email of each kind per order", "every notification is sent",
			"analytics agrees with the order service", "reading the platform");

	/** How many violating orders each invariant names before it only counts them. */
	private static final int NAMED = 10;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final Path runDir;

	private final Path mailDirectory;

	private InvariantChecker(Path runDir, Path mailDirectory) {
		this.runDir = runDir;
		this.mailDirectory = mailDirectory;
		this.http = OperatorHttp.client(runDir)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/** The checker of the platform running on this data directory. */
	public static InvariantChecker forPlatformOn(Path dataDir) {
		Path runDir = dataDir.toAbsolutePath().normalize().resolve("run");
		PlatformRun run = PlatformRun.read(runDir)
			.orElseThrow(() -> new IllegalStateException(
					"no platform is running on " + dataDir + " (is ./switchboard up running there?)"));
		return new InvariantChecker(runDir, run.mailDirectory().orElse(null));
	}

	/**
	 * Checks again and again until every invariant holds or {@code settle} has passed
	 * (effects lag their orders: a refund, an email, an analytics count); returns what
	 * was still violated at the end, empty when everything held.
	 * @param expected orders whose end is known in advance: COMPLETED, CANCELLED or
	 * TERMINAL
	 * @param acknowledged orders a client got a 201 for, which must exist
	 */
	public List<String> awaitHold(Map<String, String> expected, Collection<String> acknowledged, Duration settle)
			throws InterruptedException {
		long deadline = System.nanoTime() + settle.toNanos();
		while (true) {
			List<String> violations = violations(expected, acknowledged);
			if (violations.isEmpty() || System.nanoTime() >= deadline) {
				return violations;
			}
			// The platform settles on its own; nothing to wait on but time.
			Thread.sleep(1_000);
		}
	}

	/** One pass over every source; what does not hold now. */
	public List<String> violations(Map<String, String> expected, Collection<String> acknowledged) {
		Violations found = new Violations();
		try {
			check(found, expected, acknowledged);
		}
		catch (IOException | SQLException | RuntimeException ex) {
			found.add("reading the platform", "could not read it: " + ex);
		}
		return found.list();
	}

	private void check(Violations found, Map<String, String> expected, Collection<String> acknowledged)
			throws IOException, SQLException {
		Map<String, String[]> orders = orders();
		Map<String, String> ends = new HashMap<>();
		for (String id : acknowledged) {
			if (!orders.containsKey(id)) {
				found.add("every acknowledged order exists",
						id + " was answered 201 but the order service has no such order");
			}
		}
		orders.forEach((id, statuses) -> {
			String status = statuses[0];
			String saga = statuses[1];
			if (!status.equals("COMPLETED") && !status.equals("CANCELLED")) {
				found.add("every order ends", id + " is " + status);
				return;
			}
			if (!status.equals(saga)) {
				found.add("every saga ends with its order", id + " is " + status + " but its saga is " + saga);
				return;
			}
			String want = expected.getOrDefault(id, "TERMINAL");
			if (!want.equals("TERMINAL") && !want.equals(status)) {
				found.add("every order ends as expected", id + " is " + status + ", expected " + want);
			}
			ends.put(id, status);
		});

		Map<String, String> payments = byOrder(found, "payment", "/internal/payments", "status");
		Map<String, String> shipments = byOrder(found, "shipping", "/internal/shipments", "status");
		Map<String, String> reservations = byOrder(found, "inventory", "/internal/reservations", "state");
		ends.forEach((id, end) -> {
			if (end.equals("COMPLETED")) {
				expect(found, "a completed order is charged, allocated and shipped", id, "charge", payments.get(id),
						Set.of("APPROVED"));
				expect(found, "a completed order is charged, allocated and shipped", id, "shipment", shipments.get(id),
						Set.of("CREATED"));
				expect(found, "a completed order is charged, allocated and shipped", id, "reservation",
						reservations.get(id), Set.of("ALLOCATED"));
			}
			else {
				expect(found, "a cancelled order keeps nothing", id, "charge", payments.getOrDefault(id, "NONE"),
						Set.of("NONE", "DECLINED", "REFUNDED", "VOIDED"));
				expect(found, "a cancelled order keeps nothing", id, "shipment", shipments.getOrDefault(id, "NONE"),
						Set.of("NONE", "REJECTED", "CANCELLED"));
				expect(found, "a cancelled order keeps nothing", id, "reservation", reservations.get(id),
						Set.of("RELEASED"));
			}
		});
		reservations.forEach((id, state) -> {
			if (!orders.containsKey(id) && !state.equals("RELEASED")) {
				found.add("no reservation outlives its order",
						"reservation for " + id + " (no such order) is " + state);
			}
		});

		Map<String, List<String>> ledger = providerLedger();
		ends.forEach((id, end) -> {
			List<String> entries = ledger.getOrDefault(id, List.of());
			if (entries.stream().filter((e) -> e.startsWith("CHARGE")).count() > 1) {
				found.add("money, from the provider's books", "provider charges of " + id + ": " + entries);
			}
			else if (end.equals("COMPLETED") && !entries.equals(List.of("CHARGE approved"))) {
				found.add("money, from the provider's books", "provider books of completed " + id + ": " + entries);
			}
			else if (end.equals("CANCELLED") && !(entries.isEmpty() || entries.equals(List.of("CHARGE declined"))
					|| entries.equals(List.of("CHARGE approved", "REFUND approved")))) {
				found.add("money, from the provider's books", "provider books of cancelled " + id + ": " + entries);
			}
		});

		for (JsonNode sku : pages("inventory", "/internal/stock", "sku")) {
			int reserved = sku.get("reserved").asInt();
			int held = sku.get("available").asInt() + reserved + sku.get("shipped").asInt();
			if (reserved != 0) {
				found.add("stock is conserved",
						sku.get("sku").asString() + " has " + reserved + " units still reserved");
			}
			if (held != sku.get("initial").asInt()) {
				found.add("stock is conserved", sku.get("sku").asString() + " holds " + held + " units of its initial "
						+ sku.get("initial").asInt());
			}
		}

		Map<String, Set<String>> notified = new HashMap<>();
		for (JsonNode n : pages("notification", "/internal/notifications", "id")) {
			String id = n.get("orderId").asString();
			String kind = n.get("kind").asString();
			if (!notified.computeIfAbsent(id, (o) -> new HashSet<>()).add(kind)) {
				found.add("one email of each kind per order", "a second " + kind + " notification for order " + id);
			}
		}
		if (this.mailDirectory != null) {
			Map<String, Map<String, Set<String>>> mails = mailsByOrderAndKind();
			notified.forEach((id, kinds) -> {
				Map<String, Set<String>> sent = mails.getOrDefault(id, Map.of());
				kinds.stream()
					.filter((kind) -> !sent.containsKey(kind))
					.forEach((kind) -> found.add("every notification is sent",
							"the " + kind + " notification of order " + id + " is not in the mail sink"));
			});
			mails.forEach((id, byKind) -> byKind.forEach((kind, messageIds) -> {
				if (messageIds.size() > 1) {
					found.add("one email of each kind per order", messageIds.size() + " emails of kind " + kind
							+ " sent for order " + id + " (distinct Message-IDs)");
				}
			}));
		}

		long completed = ends.values().stream().filter("COMPLETED"::equals).count();
		long cancelled = ends.size() - completed;
		if (ends.size() == orders.size()) {
			// From the analytics service itself: the operator's view, without a
			// customer's
			// token.
			JsonNode summary = json(get(url("analytics", "/summary")));
			Map<String, Long> want = Map.of("ordersCreated", (long) orders.size(), "ordersCompleted", completed,
					"ordersCancelled", cancelled);
			want.forEach((field, value) -> {
				if (summary.get(field).asLong() != value) {
					found.add("analytics agrees with the order service",
							field + " is " + summary.get(field).asLong() + ", the order service has " + value);
				}
			});
		}
	}

	private static void expect(Violations found, String invariant, String orderId, String what, String actual,
			Set<String> allowed) {
		if (actual == null || !allowed.contains(actual)) {
			found.add(invariant, what + " of " + orderId + " is " + ((actual == null) ? "missing" : actual)
					+ ", expected " + ((allowed.size() == 1) ? allowed.iterator().next() : "one of " + allowed));
		}
	}

	/** Every order with its status and its saga's, from the order service's database. */
	private Map<String, String[]> orders() throws SQLException {
		PlatformRun run = PlatformRun.read(this.runDir)
			.orElseThrow(() -> new IllegalStateException("the platform on " + this.runDir.getParent() + " stopped"));
		Databases databases = run.databases();
		Map<String, String[]> orders = new LinkedHashMap<>();
		try (Connection c = databases.connect(databases.urlOf("switchboard_order"));
				Statement query = c.createStatement();
				ResultSet rs = query.executeQuery(
						"SELECT o.id, o.status, coalesce(s.status, 'NONE') FROM orders o LEFT JOIN sagas s ON s.order_id = o.id")) {
			while (rs.next()) {
				orders.put(rs.getString(1), new String[] { rs.getString(2), rs.getString(3) });
			}
		}
		return orders;
	}

	/**
	 * Rows of an internal listing by order id; a second row for one order is a violation.
	 */
	private Map<String, String> byOrder(Violations found, String service, String path, String field)
			throws IOException {
		Map<String, String> byOrder = new HashMap<>();
		for (JsonNode row : pages(service, path, "orderId")) {
			String previous = byOrder.put(row.get("orderId").asString(), row.get(field).asString());
			if (previous != null) {
				found.add("no effect twice", "a second " + service + " row for order " + row.get("orderId").asString());
			}
		}
		return byOrder;
	}

	/**
	 * The card provider's entries by order, "KIND approved|declined", in the order they
	 * were made.
	 */
	private Map<String, List<String>> providerLedger() throws IOException {
		Map<String, List<String>> byOrder = new HashMap<>();
		long after = 0;
		while (true) {
			JsonNode page = json(get(url("payment", "/internal/provider-ledger?limit=1000&after=" + after)));
			if (page.isEmpty()) {
				return byOrder;
			}
			for (JsonNode entry : page) {
				byOrder.computeIfAbsent(entry.get("orderId").asString(), (id) -> new ArrayList<>())
					.add(entry.get("kind").asString()
							+ (entry.get("approved").asBoolean() ? " approved" : " declined"));
				after = entry.get("id").asLong();
			}
		}
	}

	/**
	 * Every row of a paged internal listing ({@code ?after=KEY&limit=N}), page after
	 * page.
	 */
	private List<JsonNode> pages(String service, String path, String keyField) throws IOException {
		int limit = 1000;
		List<JsonNode> rows = new ArrayList<>();
		String after = "";
		while (true) {
			JsonNode page = json(get(url(service,
					path + "?limit=" + limit + "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8))));
			page.forEach(rows::add);
			if (page.size() < limit) {
				return rows;
			}
			after = rows.getLast().get(keyField).asString();
		}
	}

	/** Every email the mail sink received: by order, by kind, the Message-IDs. */
	private Map<String, Map<String, Set<String>>> mailsByOrderAndKind() throws IOException {
		Map<String, Map<String, Set<String>>> mails = new HashMap<>();
		try (Stream<Path> files = Files.list(this.mailDirectory)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".eml")).toList()) {
				Map<String, String> headers = headers(file);
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
	private static Map<String, String> headers(Path file) throws IOException {
		Map<String, String> headers = new HashMap<>();
		try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
			String line;
			while ((line = reader.readLine()) != null && !line.isEmpty()) {
				int colon = line.indexOf(':');
				if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
					headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
				}
			}
		}
		return headers;
	}

	private String url(String service, String path) throws IOException {
		Path port = RunningServices.portFile(this.runDir, service);
		if (!Files.exists(port)) {
			throw new IOException(service + " is not running (no " + port + ")");
		}
		return OperatorHttp.uri(this.runDir, Integer.parseInt(Files.readString(port).strip()), path).toString();
	}

	private String get(String url) throws IOException {
		try {
			// The listings are operator endpoints. The token is read each time: a restart
			// of the platform makes a new one.
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(url))
				.header("Authorization", "Bearer " + AdminToken.read(this.runDir))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IOException("GET " + url + ": HTTP " + response.statusCode() + " " + response.body());
			}
			return response.body();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted reading " + url, ex);
		}
	}

	private static JsonNode json(String body) {
		return JSON.readTree(body);
	}

	/**
	 * What was found, grouped by invariant, with the first few violating orders named.
	 */
	private static final class Violations {

		private final Map<String, List<String>> byInvariant = new LinkedHashMap<>();

		void add(String invariant, String what) {
			this.byInvariant.computeIfAbsent(invariant, (i) -> new ArrayList<>()).add(what);
		}

		List<String> list() {
			List<String> list = new ArrayList<>();
			this.byInvariant.forEach((invariant, all) -> {
				String named = String.join("; ", all.subList(0, Math.min(NAMED, all.size())));
				list.add(invariant + ": " + named
						+ ((all.size() > NAMED) ? "; and " + (all.size() - NAMED) + " more" : ""));
			});
			return list;
		}

	}

}
