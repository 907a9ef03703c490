package dev.switchboard.launcher.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.contracts.access.AccessPolicy;
import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.Databases;
import dev.switchboard.launcher.platform.OperatorHttp;
import dev.switchboard.launcher.platform.RunningServices;

/**
 * The console: a page on {@code http://127.0.0.1:<port>/} and the JSON it reads. It
 * scrapes every service's metrics as the operator (at most once a second, whoever asks)
 * and shows, per edge of the {@link Topology}, the rate, p99, error rate and breaker
 * state between its last two scrapes; the dead letters and outbox backlogs; the sagas in
 * flight and the last ones ended (read from the order service's database, as the
 * launcher's other operator tools do); an order's saga timeline and a link to its trace;
 * and it forwards fault injections to a service's admin endpoint, for a caller that gives
 * the platform's admin token.
 *
 * <p>
 * The JDK's own HTTP server: one page and four JSON routes on loopback need no framework
 * in the launcher.
 */
public final class Console implements AutoCloseable {

	private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

	private static final Pattern SERVICE_NAME = Pattern.compile("[a-z][a-z-]{0,30}");

	private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final Path runDir;

	private final Map<String, Integer> managementPorts;

	private final Databases databases;

	private final Optional<String> tracesUrl;

	private final byte[] adminToken;

	private final String gateway;

	/** The demo client's tokens, for the orders the console places. */
	private final AccessTokens demo;

	private final Topology topology = Topology.of(AccessPolicy.platform());

	private final HttpClient operator;

	private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final ExecutorService scrapers = Executors.newVirtualThreadPerTaskExecutor();

	private record Scrape(Samples samples, long nanos, boolean up) {
	}

	private final Map<String, Scrape> last = new ConcurrentHashMap<>();

	private final Map<String, Scrape> previous = new ConcurrentHashMap<>();

	private long scrapedAt;

	private Console(HttpServer server, Path runDir, Map<String, Integer> managementPorts, Databases databases,
			Optional<String> tracesUrl, String adminToken, String gateway) {
		this.gateway = gateway;
		this.demo = new AccessTokens(gateway, AccessTokens.DEMO, AccessTokens.ALL_SCOPES);
		this.server = server;
		this.runDir = runDir;
		this.managementPorts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(managementPorts));
		this.databases = databases;
		this.tracesUrl = tracesUrl;
		this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
		this.operator = OperatorHttp.client(runDir).connectTimeout(Duration.ofSeconds(1)).build();
	}

	/**
	 * Serves the console on {@code 127.0.0.1:port}.
	 * @param managementPorts each service's actuator port, in the order to show them
	 * @param tracesUrl the trace view, if the platform runs one
	 * @param gateway where the console places a demo order
	 */
	public static Console start(int port, Path runDir, Map<String, Integer> managementPorts, Databases databases,
			Optional<String> tracesUrl, String adminToken, String gateway) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		Console console = new Console(server, runDir, managementPorts, databases, tracesUrl, adminToken, gateway);
		server.setExecutor(console.scrapers);
		server.createContext("/", console::page);
		server.createContext("/data/overview", (exchange) -> console.answer(exchange, console::overview));
		server.createContext("/data/orders/", (exchange) -> console.answer(exchange, console::order));
		server.createContext("/data/faults/", (exchange) -> console.answer(exchange, console::fault));
		server.start();
		return console;
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/";
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.scrapers.shutdownNow();
	}

	/** A route's answer: a status and a JSON body. */
	private record Answer(int status, Object body) {
	}

	@FunctionalInterface
	private interface Route {

		Answer handle(HttpExchange exchange) throws Exception;

	}

	private void answer(HttpExchange exchange, Route route) throws IOException {
		Answer answer;
		try {
			answer = route.handle(exchange);
		}
		catch (Exception ex) {
			answer = new Answer(500, Map.of("error", String.valueOf(ex.getMessage())));
		}
		exchange.getResponseHeaders().set("Cache-Control", "no-store");
		if (answer.status() == 204) {
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
			return;
		}
		byte[] body = JSON.writeValueAsBytes(answer.body());
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(answer.status(), body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	/** The page and its script and style, from the launcher's resources. */
	private void page(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		String resource = switch (path) {
			case "/", "/index.html" -> "index.html";
			case "/console.js" -> "console.js";
			case "/console.css" -> "console.css";
			default -> null;
		};
		if (resource == null) {
			exchange.sendResponseHeaders(404, -1);
			exchange.close();
			return;
		}
		try (InputStream in = Console.class.getResourceAsStream("/console/" + resource)) {
			byte[] body = in.readAllBytes();
			exchange.getResponseHeaders()
				.set("Content-Type", resource.endsWith(".js") ? "text/javascript; charset=utf-8"
						: resource.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
		}
		exchange.close();
	}

	/** Everything the page shows but an order. */
	private Answer overview(HttpExchange exchange) throws Exception {
		scrapeIfDue();
		Map<String, Object> overview = new LinkedHashMap<>();
		List<Map<String, Object>> services = new ArrayList<>();
		this.managementPorts.keySet().forEach((service) -> {
			Map<String, Object> shown = new LinkedHashMap<>();
			shown.put("name", service);
			shown.put("up", this.last.containsKey(service) && this.last.get(service).up());
			shown.put("pid", pid(service));
			shown.put("outboxBacklog", (int) samples(service).sum("switchboard_outbox_backlog", (s) -> true));
			services.add(shown);
		});
		overview.put("services", services);
		overview.put("edges", this.topology.edges().stream().map(this::figures).toList());
		Map<String, Double> deadLetters = new TreeMap<>();
		this.managementPorts.keySet()
			.forEach((service) -> samples(service).named("switchboard_dead_letters_total")
				.forEach((sample) -> deadLetters.merge(sample.label("channel"), sample.value(), Double::sum)));
		overview.put("deadLetters",
				deadLetters.entrySet()
					.stream()
					.map((entry) -> Map.of("channel", entry.getKey(), "count", entry.getValue().longValue()))
					.toList());
		overview.put("sagas", sagas());
		overview.put("traces", this.tracesUrl.orElse(null));
		return new Answer(200, overview);
	}

	private synchronized void scrapeIfDue() throws InterruptedException {
		long now = System.nanoTime();
		if (!this.last.isEmpty() && now - this.scrapedAt < SCRAPE_INTERVAL.toNanos()) {
			return;
		}
		Map<String, Future<Scrape>> scrapes = new LinkedHashMap<>();
		this.managementPorts.forEach((service, port) -> scrapes.put(service, this.scrapers.submit(() -> scrape(port))));
		for (Map.Entry<String, Future<Scrape>> scrape : scrapes.entrySet()) {
			Scrape fresh;
			try {
				fresh = scrape.getValue().get();
			}
			catch (java.util.concurrent.ExecutionException ex) {
				fresh = new Scrape(Samples.NONE, System.nanoTime(), false);
			}
			Scrape before = this.last.put(scrape.getKey(), fresh);
			if (before != null && before.up()) {
				this.previous.put(scrape.getKey(), before);
			}
		}
		this.scrapedAt = now;
	}

	private Scrape scrape(int port) {
		try {
			HttpResponse<String> response = this.operator
				.send(HttpRequest.newBuilder(OperatorHttp.uri(this.runDir, port, "/actuator/prometheus"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 200) {
				return new Scrape(Samples.parse(response.body()), System.nanoTime(), true);
			}
		}
		catch (IOException ex) {
			// Down, or restarting: shown as down.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return new Scrape(Samples.NONE, System.nanoTime(), false);
	}

	private Samples samples(String service) {
		Scrape scrape = this.last.get(service);
		return (scrape != null) ? scrape.samples() : Samples.NONE;
	}

	private Long pid(String service) {
		try {
			return Long.parseLong(Files.readString(RunningServices.pidFile(this.runDir, service)).strip());
		}
		catch (IOException | NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * An edge's figures between the last two scrapes of the service that measures it: the
	 * caller for a call (its protected edge to the callee), the consumer for a message
	 * (what it handled from the channel, timed from writing to handling).
	 */
	private Map<String, Object> figures(Topology.Edge edge) {
		Map<String, Object> shown = new LinkedHashMap<>();
		shown.put("from", edge.from());
		shown.put("to", edge.to());
		shown.put("pattern", edge.pattern());
		shown.put("channel", edge.channel());
		String measuredBy = edge.synchronous() ? edge.from() : edge.to();
		Scrape now = this.last.get(measuredBy);
		Scrape before = this.previous.get(measuredBy);
		if (now == null || before == null || !now.up() || now.nanos() <= before.nanos()) {
			return shown;
		}
		double seconds = (now.nanos() - before.nanos()) / 1e9;
		String counted = edge.synchronous() ? "switchboard_edge_calls_seconds" : "switchboard_messages_handled_seconds";
		Predicate<Samples.Sample> ofEdge = edge.synchronous()
				? (sample) -> sample.label("edge").split("-")[0].equals(edge.to())
				: (sample) -> sample.label("channel").equals(edge.channel());
		// A caller's protected edges are named after the callee, not the transport: they
		// are its gRPC calls when it has any to that callee, else its REST calls. Calls
		// made without one are not measured.
		boolean measured = now.samples().named(counted + "_count").stream().anyMatch(ofEdge)
				&& !(edge.pattern().equals("REST")
						&& this.topology.edges().contains(new Topology.Edge(edge.from(), edge.to(), "gRPC", "")));
		if (!measured) {
			return shown;
		}
		double calls = now.samples().sum(counted + "_count", ofEdge) - before.samples().sum(counted + "_count", ofEdge);
		double failed;
		if (edge.synchronous()) {
			Predicate<Samples.Sample> failures = ofEdge.and((sample) -> !sample.label("outcome").equals("success"));
			failed = now.samples().sum(counted + "_count", failures)
					- before.samples().sum(counted + "_count", failures);
			shown.put("breaker", breaker(now.samples(), edge.to()));
		}
		else {
			if (edge.pattern().equals("queue")) {
				double waiting = now.samples()
					.sum("switchboard_queue_waiting", (sample) -> sample.label("queue").equals(edge.channel()));
				shown.put("waiting", Double.isNaN(waiting) ? null : (long) waiting);
			}
			Predicate<Samples.Sample> letters = (sample) -> sample.label("channel").startsWith(edge.channel() + ".");
			failed = now.samples().sum("switchboard_dead_letters_total", letters)
					- before.samples().sum("switchboard_dead_letters_total", letters);
		}
		shown.put("rate", round(calls / seconds));
		shown.put("errorRate", (calls > 0) ? round(Math.min(1, failed / calls)) : null);
		double p99 = Samples.quantile(0.99, before.samples().buckets(counted + "_bucket", ofEdge),
				now.samples().buckets(counted + "_bucket", ofEdge));
		shown.put("p99Ms", Double.isNaN(p99) || Double.isInfinite(p99) ? null : round(p99 * 1000));
		return shown;
	}

	/** The worst state among the caller's breakers to {@code callee}. */
	private static String breaker(Samples samples, String callee) {
		String worst = null;
		for (Samples.Sample sample : samples.named("resilience4j_circuitbreaker_state")) {
			if (sample.value() == 1 && sample.label("name").split("-")[0].equals(callee)) {
				String state = sample.label("state");
				if (worst == null || rank(state) > rank(worst)) {
					worst = state;
				}
			}
		}
		return worst;
	}

	private static int rank(String state) {
		return switch (state) {
			case "closed" -> 0;
			case "half_open" -> 1;
			default -> 2;
		};
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

	/** Sagas in flight and the last ten ended, from the order service's database. */
	private Map<String, Object> sagas() {
		Map<String, Object> sagas = new LinkedHashMap<>();
		try (Connection c = this.databases.connect(this.databases.urlOf("switchboard_order"))) {
			try (PreparedStatement query = c
				.prepareStatement("SELECT count(*) FROM sagas WHERE status IN ('RUNNING', 'COMPENSATING')");
					ResultSet rs = query.executeQuery()) {
				rs.next();
				sagas.put("inFlight", rs.getLong(1));
			}
			List<Map<String, Object>> recent = new ArrayList<>();
			try (PreparedStatement query = c.prepareStatement("SELECT order_id, mode, status, reason, updated_at "
					+ "FROM sagas WHERE status IN ('COMPLETED', 'CANCELLED') ORDER BY updated_at DESC LIMIT 10");
					ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					Map<String, Object> saga = new LinkedHashMap<>();
					saga.put("orderId", rs.getString(1));
					saga.put("mode", rs.getString(2).toLowerCase(java.util.Locale.ROOT));
					saga.put("status", rs.getString(3));
					saga.put("reason", rs.getString(4));
					saga.put("endedAt", rs.getTimestamp(5).toInstant().toString());
					recent.add(saga);
				}
			}
			sagas.put("recent", recent);
		}
		catch (SQLException ex) {
			sagas.put("error", "the order database did not answer: " + ex.getMessage());
		}
		return sagas;
	}

	/** An order, its saga's steps and history, and its trace. */
	private Answer order(HttpExchange exchange) throws Exception {
		String id = exchange.getRequestURI().getPath().substring("/data/orders/".length());
		if (exchange.getRequestMethod().equals("POST") && id.isEmpty()) {
			return place(exchange);
		}
		if (!ORDER_ID.matcher(id).matches()) {
			return new Answer(400, Map.of("error", "not an order id: " + id));
		}
		Map<String, Object> order = new LinkedHashMap<>();
		try (Connection c = this.databases.connect(this.databases.urlOf("switchboard_order"))) {
			try (PreparedStatement query = c
				.prepareStatement("SELECT o.status, o.total_cents, o.created_at, s.mode, s.status, s.reason "
						+ "FROM orders o LEFT JOIN sagas s ON s.order_id = o.id WHERE o.id = ?")) {
				query.setString(1, id);
				try (ResultSet rs = query.executeQuery()) {
					if (!rs.next()) {
						return new Answer(404, Map.of("error", "no order " + id));
					}
					order.put("orderId", id);
					order.put("status", rs.getString(1));
					order.put("totalCents", rs.getLong(2));
					order.put("createdAt", rs.getTimestamp(3).toInstant().toString());
					order.put("sagaMode", lower(rs.getString(4)));
					order.put("sagaStatus", lower(rs.getString(5)));
					order.put("reason", rs.getString(6));
				}
			}
			List<Map<String, Object>> history = new ArrayList<>();
			try (PreparedStatement query = c
				.prepareStatement("SELECT at, step, event, detail FROM saga_history WHERE order_id = ? ORDER BY seq")) {
				query.setString(1, id);
				try (ResultSet rs = query.executeQuery()) {
					while (rs.next()) {
						Map<String, Object> entry = new LinkedHashMap<>();
						entry.put("at", instant(rs.getTimestamp(1)));
						entry.put("step", lower(rs.getString(2)));
						entry.put("event", rs.getString(3));
						entry.put("detail", rs.getString(4));
						history.add(entry);
					}
				}
			}
			order.put("timeline", history);
		}
		order.put("trace", trace(id));
		return new Answer(200, order);
	}

	/**
	 * Places an order through the gateway as the demo client (one SKU-0001, a card that
	 * pays, an address in the US), as {@code ./switchboard token} and curl would. Only
	 * for a JSON request: a page of another site cannot send one without asking first,
	 * which this server never allows.
	 */
	private Answer place(HttpExchange exchange) throws Exception {
		String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
		if (!type.startsWith("application/json")) {
			return new Answer(415, Map.of("error", "send Content-Type: application/json"));
		}
		HttpResponse<String> placed = this.plain
			.send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/v1/orders"))
				.timeout(Duration.ofSeconds(10))
				.header("Authorization", this.demo.header())
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(DEMO_ORDER))
				.build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(placed.statusCode(), JSON.readTree(placed.body()));
	}

	private static final String DEMO_ORDER = """
			{"items":[{"sku":"SKU-0001","quantity":1}],"paymentToken":"tok_visa",
			 "shippingAddress":{"country":"US","city":"Austin","line1":"1 Main St","postalCode":"78701"}}""";

	private static String lower(String value) {
		return (value != null) ? value.toLowerCase(java.util.Locale.ROOT) : null;
	}

	private static String instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant().toString() : null;
	}

	/** The order's trace in the trace view: its id, link, span count and services. */
	private Map<String, Object> trace(String orderId) {
		if (this.tracesUrl.isEmpty()) {
			return null;
		}
		String base = this.tracesUrl.get().replaceFirst("/zipkin/$", "");
		try {
			HttpResponse<String> found = this.plain.send(HttpRequest
				.newBuilder(URI.create(base + "/api/v2/traces?limit=1&annotationQuery="
						+ URLEncoder.encode("switchboard.order.id=" + orderId, StandardCharsets.UTF_8)))
				.timeout(Duration.ofSeconds(3))
				.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode traces = JSON.readTree(found.body());
			if (found.statusCode() != 200 || traces.isEmpty()) {
				return Map.of("url", this.tracesUrl.get(), "spans", 0);
			}
			JsonNode spans = traces.get(0);
			String traceId = spans.get(0).path("traceId").asString();
			java.util.Set<String> services = new java.util.TreeSet<>();
			spans.forEach((span) -> services.add(span.path("localEndpoint").path("serviceName").asString()));
			return Map.of("traceId", traceId, "url", this.tracesUrl.get() + "traces/" + traceId, "spans", spans.size(),
					"services", services);
		}
		catch (IOException ex) {
			return Map.of("url", this.tracesUrl.get(), "spans", 0, "error", ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * {@code PUT /data/faults/SERVICE} with a fault (as {@code switchboard fault} sends
	 * it) or {@code DELETE} to clear it, with the admin token.
	 */
	private Answer fault(HttpExchange exchange) throws Exception {
		String given = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
			.filter((value) -> value.startsWith("Bearer "))
			.map((value) -> value.substring("Bearer ".length()).strip())
			.orElse("");
		if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), this.adminToken)) {
			return new Answer(401,
					Map.of("error", "give the platform's admin token (in " + this.runDir.resolve("admin-token") + ")"));
		}
		String service = exchange.getRequestURI().getPath().substring("/data/faults/".length());
		if (!SERVICE_NAME.matcher(service).matches() || !this.managementPorts.containsKey(service)) {
			return new Answer(404, Map.of("error", "no service " + service));
		}
		RunningServices.Target target = RunningServices.Target.of(service, this.runDir.getParent(), false);
		HttpRequest.Builder request = HttpRequest
			.newBuilder(OperatorHttp.uri(target.runDir(), target.httpPort(), "/admin/faults"))
			.timeout(Duration.ofSeconds(5))
			.header("Authorization", "Bearer " + new String(this.adminToken, StandardCharsets.UTF_8));
		switch (exchange.getRequestMethod()) {
			case "PUT" -> request.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readNBytes(4096)));
			case "DELETE" -> request.DELETE();
			case "GET" -> request.GET();
			default -> {
				return new Answer(405, Map.of("error", "PUT a fault, DELETE it, or GET it"));
			}
		}
		HttpResponse<String> answer = this.operator.send(request.build(), HttpResponse.BodyHandlers.ofString());
		Object body = answer.body().isBlank() ? Map.of() : JSON.readTree(answer.body());
		return new Answer(answer.statusCode(), body);
	}

}
