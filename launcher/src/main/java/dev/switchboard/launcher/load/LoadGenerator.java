package dev.switchboard.launcher.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.OrderDatabase;

/**
 * {@code switchboard load}: places orders at a constant rate against a running platform
 * and reports acceptance and completion latency.
 *
 * <p>
 * Open loop: each order is sent at its scheduled instant on its own virtual thread, and
 * latency is measured from that instant, not from when a thread got around to sending it.
 * A slow system therefore cannot slow the load down or hide its queueing delay
 * (coordinated omission).
 *
 * <p>
 * Completion is not watched while the load runs: polling the platform for it would be
 * load on the platform being measured. After the last answer, the generator reads every
 * accepted order's final status and the time the saga wrote it
 * ({@code orders.updated_at}) from the order service's database, found through the
 * platform's run directory, and times each order's completion from its scheduled instant
 * (the services and the generator share the machine's clock). Without access to that
 * database (a platform elsewhere) it checks each order's final state through the API
 * once, and reports no completion latency.
 */
public final class LoadGenerator {

	private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

	private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final String gateway;

	private final AccessTokens tokens;

	private final List<String> skus;

	private final OrderDatabase orders;

	private final Recorder acceptance = new Recorder(3);

	private final LongAdder sent = new LongAdder();

	/** 503 with Retry-After: the platform shed the order and said when to come back. */
	private final LongAdder shed = new LongAdder();

	/** Any other answer, or none. */
	private final LongAdder failed = new LongAdder();

	/**
	 * How long an order whose outcome is unknown (a 504, or no answer in time) is sent
	 * again under its key to learn it; past that it counts as failed. Longer than any
	 * attempt can stay in flight in the platform (the gateway's deadline).
	 */
	private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);

	/**
	 * Requests sent again under their key because an earlier attempt's outcome was
	 * unknown.
	 */
	private final LongAdder repeated = new LongAdder();

	/** Why orders failed: HTTP status or exception, with counts. */
	private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

	/** Every accepted order with the wall-clock instant it was scheduled at. */
	private final Map<String, Instant> accepted = new ConcurrentHashMap<>();

	/**
	 * How long each accepted order took to be accepted, from its scheduled instant (ns).
	 */
	private final Map<String, Long> acceptanceByOrder = new ConcurrentHashMap<>();

	/** Accepted orders in the order their answers came, for {@code --record}. */
	private final Queue<String> acceptedIds = new ConcurrentLinkedQueue<>();

	/**
	 * Answers counted (accepted, shed or failed); the run ends when every sent order has
	 * one.
	 */
	private final LongAdder answered = new LongAdder();

	/** What one run did. Latencies are in nanoseconds. */
	public record Result(long sent, long accepted, long shed, long failed, long repeated, long completed,
			long cancelled, long notTerminal, Histogram acceptance, Histogram completion, boolean completionTimed,
			Duration sending, Duration total, Map<String, Long> failures, List<String> acceptedIds) {

		boolean ok() {
			return this.failed == 0 && this.notTerminal == 0;
		}

	}

	/**
	 * @param tokens the tokens of the client the orders are placed as (the platform's
	 * load client, {@link dev.switchboard.launcher.platform.LoadClient})
	 */
	public LoadGenerator(String gateway, AccessTokens tokens, List<String> skus, OrderDatabase orders) {
		this.gateway = gateway;
		this.tokens = tokens;
		this.skus = skus;
		this.orders = orders;
	}

	public static List<String> defaultSkus() {
		List<String> skus = new ArrayList<>();
		for (int i = 1; i <= 100; i++) {
			skus.add(String.format("SKU-%04d", i));
		}
		return List.copyOf(skus);
	}

	/**
	 * Sends for {@code duration}, waits for every answer and every accepted order to end.
	 */
	public Result load(double rate, Duration duration, PrintStream out, boolean progress) throws InterruptedException {
		return load(rate, duration, out, progress, () -> {
		});
	}

	/**
	 * As {@link #load(double, Duration, PrintStream, boolean)}; {@code sendingDone} runs
	 * when the last order is sent.
	 */
	public Result load(double rate, Duration duration, PrintStream out, boolean progress, Runnable sendingDone)
			throws InterruptedException {
		if (progress) {
			out.printf("Loading %s with %.0f orders/s for %s (open loop)%n", this.gateway, rate, duration);
		}
		long start = System.nanoTime();
		Instant wallStart = Instant.now();
		long intervalNanos = (long) (1_000_000_000L / rate);
		long total = (long) (rate * duration.toNanos() / 1e9);
		long nextReport = start + 1_000_000_000L;
		for (long i = 0; i < total; i++) {
			long scheduled = start + i * intervalNanos;
			long now;
			while ((now = System.nanoTime()) < scheduled) {
				LockSupport.parkNanos(scheduled - now);
				if (now >= nextReport) {
					break;
				}
			}
			if (progress && System.nanoTime() >= nextReport) {
				progress(out, start);
				nextReport += 1_000_000_000L;
			}
			// Counted before its thread starts: the end of the run waits for every order
			// counted, and the last one's thread may not have run yet when the loop ends.
			this.sent.increment();
			Instant scheduledAt = wallStart.plusNanos(scheduled - start);
			Thread.ofVirtual().start(() -> place(scheduled, scheduledAt));
		}
		long sendingEnd = System.nanoTime();
		sendingDone.run();
		long deadline = sendingEnd + DRAIN_TIMEOUT.toNanos();
		while (this.answered.sum() < this.sent.sum() && System.nanoTime() < deadline) {
			// Waiting on answers in flight; their threads count them.
			Thread.sleep(CHECK_INTERVAL);
		}
		if (progress) {
			progress(out, start);
			out.printf("waiting for %d accepted orders to end...%n", this.accepted.size());
		}
		Histogram completion = new Histogram(3);
		long[] outcome = (this.orders != null) ? timeCompletions(completion, deadline) : checkThroughApi(deadline);
		Histogram acceptanceTotal = new Histogram(3);
		acceptanceTotal.add(this.acceptance.getIntervalHistogram());
		Map<String, Long> failureCounts = new TreeMap<>();
		this.failures.forEach((why, count) -> failureCounts.put(why, count.sum()));
		return new Result(this.sent.sum(), this.accepted.size(), this.shed.sum(), this.failed.sum(),
				this.repeated.sum(), outcome[0], outcome[1], this.accepted.size() - outcome[0] - outcome[1],
				acceptanceTotal, completion, this.orders != null, Duration.ofNanos(sendingEnd - start),
				Duration.ofNanos(System.nanoTime() - start), failureCounts, List.copyOf(this.acceptedIds));
	}

	/**
	 * Waits until the order database shows every accepted order terminal (one query each
	 * {@link #CHECK_INTERVAL}), then times each from its scheduled instant to the instant
	 * its final status was written. Returns {completed, cancelled}.
	 */
	private long[] timeCompletions(Histogram completion, long deadline) throws InterruptedException {
		List<String> ids = List.copyOf(this.accepted.keySet());
		Map<String, OrderDatabase.Outcome> outcomes = Map.of();
		SQLException unreadable = null;
		while (System.nanoTime() < deadline) {
			try {
				if (this.orders.countUnfinished(ids) == 0) {
					outcomes = this.orders.outcomes(ids);
					break;
				}
				unreadable = null;
			}
			catch (SQLException ex) {
				// Restarting, perhaps (chaos kills it): wait.
				unreadable = ex;
			}
			// Waiting on the sagas (or the database): nothing local to wait on.
			Thread.sleep(CHECK_INTERVAL);
		}
		if (outcomes.isEmpty() && !ids.isEmpty()) {
			try {
				outcomes = this.orders.outcomes(ids);
			}
			catch (SQLException ex) {
				if (unreadable != null) {
					ex.addSuppressed(unreadable);
				}
				throw new IllegalStateException("could not read the order database: " + ex.getMessage(), ex);
			}
		}
		long completed = 0;
		long cancelled = 0;
		for (Map.Entry<String, OrderDatabase.Outcome> entry : outcomes.entrySet()) {
			OrderDatabase.Outcome outcome = entry.getValue();
			if (!outcome.terminal()) {
				continue;
			}
			if ("COMPLETED".equals(outcome.status())) {
				completed++;
			}
			else {
				cancelled++;
			}
			long nanos = Duration.between(this.accepted.get(entry.getKey()), outcome.at()).toNanos();
			completion.recordValue(Math.max(0, nanos));
		}
		return new long[] { completed, cancelled };
	}

	/**
	 * Without the database: each accepted order's status through the API, until it ends.
	 */
	private long[] checkThroughApi(long deadline) throws InterruptedException {
		Queue<String> open = new ConcurrentLinkedQueue<>(this.accepted.keySet());
		long completed = 0;
		long cancelled = 0;
		while (!open.isEmpty() && System.nanoTime() < deadline) {
			String orderId = open.poll();
			String status = status(orderId);
			if ("COMPLETED".equals(status)) {
				completed++;
			}
			else if ("CANCELLED".equals(status)) {
				cancelled++;
			}
			else {
				open.add(orderId);
				Thread.sleep(CHECK_INTERVAL); // not terminal yet; check the others first
			}
		}
		return new long[] { completed, cancelled };
	}

	/**
	 * Every accepted order's scheduled instant, for a caller that slices the run by time.
	 */
	public Map<String, Instant> scheduledAt() {
		return Map.copyOf(this.accepted);
	}

	/** Every accepted order's acceptance latency in nanoseconds. */
	public Map<String, Long> acceptanceByOrder() {
		return Map.copyOf(this.acceptanceByOrder);
	}

	public static void report(PrintStream out, Result result) {
		out.println();
		out.printf(
				"sent %d, accepted %d (201), shed %d (503 + Retry-After), failed %d, completed %d, cancelled %d, not terminal %d%n",
				result.sent(), result.accepted(), result.shed(), result.failed(), result.completed(),
				result.cancelled(), result.notTerminal());
		out.printf("achieved %.1f orders/s accepted; sending took %.1f s, the whole run %.1f s%n",
				result.accepted() / (result.sending().toNanos() / 1e9), result.sending().toNanos() / 1e9,
				result.total().toNanos() / 1e9);
		if (!result.failures().isEmpty()) {
			out.printf("failed: %s%n", result.failures());
		}
		if (result.repeated() > 0) {
			out.printf(
					"repeated %d requests under their Idempotency-Key to learn an unknown outcome (504 or no answer)%n",
					result.repeated());
		}
		report(out, "acceptance (201)", result.acceptance());
		if (result.completionTimed()) {
			report(out, "completion (terminal)", result.completion());
		}
		else {
			out.printf("%-22s not timed (no access to the order database)%n", "completion (terminal)");
		}
	}

	private void progress(PrintStream out, long start) {
		out.printf("  %3ds  sent %6d  accepted %6d  shed %5d  failed %4d%n",
				(System.nanoTime() - start) / 1_000_000_000L, this.sent.sum(), this.accepted.size(), this.shed.sum(),
				this.failed.sum());
	}

	private static void report(PrintStream out, String what, Histogram h) {
		if (h.getTotalCount() == 0) {
			out.printf("%-22s no samples%n", what);
			return;
		}
		out.printf("%-22s p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  p99.9 %7.1f ms  max %7.1f ms  (n=%d)%n", what,
				h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
				h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, h.getTotalCount());
	}

	private void place(long scheduled, Instant scheduledAt) {
		String sku = this.skus.get(ThreadLocalRandom.current().nextInt(this.skus.size()));
		String body = """
				{"items":[{"sku":"%s","quantity":1}],"paymentToken":"tok_visa",
				 "shippingAddress":{"country":"US","city":"Austin","line1":"1 Main St","postalCode":"78701"}}"""
			.formatted(sku);
		// Every order carries a key, so a request whose outcome is unknown can be sent
		// again without placing a second order (see sendUntilKnown).
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.gateway + "/api/v1/orders"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", "load-" + UUID.randomUUID())
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			HttpResponse<String> response = sendUntilKnown(request);
			long latency = System.nanoTime() - scheduled;
			Matcher id = ORDER_ID.matcher(response.body());
			if (response.statusCode() == 201 && id.find()) {
				this.acceptance.recordValue(latency);
				this.acceptanceByOrder.put(id.group(1), latency);
				this.accepted.put(id.group(1), scheduledAt);
				this.acceptedIds.add(id.group(1));
			}
			else if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
				this.shed.increment();
			}
			else {
				fail("HTTP " + response.statusCode());
			}
		}
		catch (OutcomeUnknownException ex) {
			fail("outcome unknown after " + SETTLE_LIMIT.toSeconds() + " s (" + ex.getMessage() + ")");
		}
		catch (Exception ex) {
			fail(ex.getClass().getSimpleName());
		}
		finally {
			// Counted last: the end of the run waits until every request is counted, and
			// then every accepted order must already be in the map to be checked.
			this.answered.increment();
		}
	}

	/**
	 * Sends an order as a careful client does. A 503 to the first attempt means the
	 * platform did nothing with it (it shed the order, or its breaker refused the call),
	 * so it is an answer. A 504 or no answer in time leaves the outcome unknown: the
	 * order may have been placed. Then the same request is sent again under its key,
	 * after the Retry-After, until an answer says what happened: a 201 (the order, placed
	 * then or now) or a refusal. A 503 after an unknown outcome says only "not now" (the
	 * first attempt may still be under way), so it is repeated too. Without this, an
	 * order the platform placed could be counted as shed, and every count made from the
	 * recorded orders would be off.
	 */
	private HttpResponse<String> sendUntilKnown(HttpRequest request) throws Exception {
		long giveUp = System.nanoTime() + SETTLE_LIMIT.toNanos();
		boolean unknown = false;
		while (true) {
			HttpResponse<String> response = null;
			String why;
			try {
				response = this.http.send(withToken(request), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 401) {
					// The token was refused (expired early, or the identity service's key
					// changed): a new one, once.
					this.tokens.renew();
					response = this.http.send(withToken(request), HttpResponse.BodyHandlers.ofString());
				}
				why = "HTTP " + response.statusCode();
			}
			catch (IOException ex) {
				why = ex.getClass().getSimpleName();
			}
			int status = (response != null) ? response.statusCode() : 0;
			if (response != null && status != 504 && !(status == 503 && unknown)) {
				return response;
			}
			unknown = true;
			Duration pause = (response != null) ? retryAfter(response) : Duration.ofSeconds(1);
			if (System.nanoTime() + pause.toNanos() >= giveUp) {
				throw new OutcomeUnknownException("last: " + why);
			}
			this.repeated.increment();
			Thread.sleep(pause); // the platform said when to come back
		}
	}

	/** The request with the client's current token. */
	private HttpRequest withToken(HttpRequest request) throws IOException, InterruptedException {
		return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
			.header("Authorization", this.tokens.header())
			.build();
	}

	private static Duration retryAfter(HttpResponse<String> response) {
		try {
			return Duration
				.ofSeconds(Math.clamp(Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")), 1, 10));
		}
		catch (NumberFormatException ex) {
			return Duration.ofSeconds(1);
		}
	}

	/** No answer said what became of an order within {@link #SETTLE_LIMIT}. */
	private static final class OutcomeUnknownException extends Exception {

		OutcomeUnknownException(String message) {
			super(message);
		}

	}

	private void fail(String why) {
		this.failed.increment();
		this.failures.computeIfAbsent(why, (w) -> new LongAdder()).increment();
	}

	private String status(String orderId) {
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/v1/orders/" + orderId))
					.timeout(Duration.ofSeconds(5))
					.header("Authorization", this.tokens.header())
					.build(), HttpResponse.BodyHandlers.ofString());
			Matcher status = STATUS.matcher(response.body());
			return (response.statusCode() == 200 && status.find()) ? status.group(1) : null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (Exception ex) {
			return null;
		}
	}

}
