package dev.switchboard.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * {@code switchboard load}: places orders at a constant rate against a running platform
 * and reports acceptance and completion latency.
 *
 * <p>
 * Open loop: each order is sent at its scheduled instant on its own virtual thread, and
 * latency is measured from that instant, not from when a thread got around to sending
 * it. A slow system therefore cannot slow the load down or hide its queueing delay
 * (coordinated omission).
 *
 * <p>
 * Completion is seen by polling the order through the public API, which is load on the
 * same machine too. Polling every order made the measurement a large part of the load
 * (and a feedback loop: slower orders, more polling), so completion latency is timed on
 * a one-in-ten sample, polled every {@value #POLL_MILLIS} ms (its resolution), and every
 * other order is checked once for its final state after the run.
 */
final class LoadGenerator {

	static final String USAGE = """
			usage: switchboard load [--rate R] [--duration D] [--gateway URL] [--sku SKU ...] [--record FILE]
			  --rate R        orders per second (default 50)
			  --duration D    how long to send, e.g. 30s or 2m (default 30s)
			  --gateway URL   the platform to load (default http://localhost:8080)
			  --sku SKU       order this SKU (repeatable; default: one of SKU-0001..SKU-0100 at random)
			  --record FILE   write the id of every accepted order to FILE, one per line (to check
			                  the invariants after the run)""";

	private static final long POLL_MILLIS = 250;

	private static final Duration POLL_INTERVAL = Duration.ofMillis(POLL_MILLIS);

	/** One order in this many has its completion timed while the load runs. */
	private static final int SAMPLE_EVERY = 10;

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

	private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String gateway;

	private final List<String> skus;

	private final Recorder acceptance = new Recorder(3);

	private final Recorder completion = new Recorder(3);

	private final LongAdder sent = new LongAdder();

	private final LongAdder accepted = new LongAdder();

	/** 503 with Retry-After: the platform shed the order and said when to come back. */
	private final LongAdder shed = new LongAdder();

	/** Any other answer, or none. */
	private final LongAdder failed = new LongAdder();

	/** Why orders failed: HTTP status or exception, with counts. */
	private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

	private final LongAdder completed = new LongAdder();

	private final LongAdder cancelled = new LongAdder();

	/** Sampled accepted orders not yet seen terminal, with their scheduled send time. */
	private final Map<String, Long> pending = new ConcurrentHashMap<>();

	/** Accepted orders not sampled, checked after the run. */
	private final Queue<String> unsampled = new ConcurrentLinkedQueue<>();

	private final AtomicLong placed = new AtomicLong();

	/** Every accepted order, for {@code --record}. */
	private final Queue<String> acceptedIds = new ConcurrentLinkedQueue<>();

	private LoadGenerator(String gateway, List<String> skus) {
		this.gateway = gateway;
		this.skus = skus;
	}

	static int run(List<String> args, PrintStream out) throws InterruptedException {
		double[] rate = { 50 };
		Duration[] duration = { Duration.ofSeconds(30) };
		String[] gateway = { "http://localhost:8080" };
		Path[] record = { null };
		List<String> skus = new ArrayList<>();
		CommandLine.parse(args, USAGE, (option, value) -> {
			switch (option) {
				case "--rate" -> rate[0] = Double.parseDouble(value);
				case "--duration" -> duration[0] = parseDuration(value);
				case "--gateway" -> gateway[0] = value.replaceAll("/$", "");
				case "--record" -> record[0] = Path.of(value);
				case "--sku" -> skus.add(value);
				default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
			}
		});
		if (rate[0] <= 0 || duration[0].isZero() || duration[0].isNegative()) {
			throw new IllegalArgumentException("--rate and --duration must be positive");
		}
		if (skus.isEmpty()) {
			for (int i = 1; i <= 100; i++) {
				skus.add(String.format("SKU-%04d", i));
			}
		}
		LoadGenerator generator = new LoadGenerator(gateway[0], List.copyOf(skus));
		int exit = generator.load(rate[0], duration[0], out);
		if (record[0] != null) {
			try {
				Files.write(record[0], generator.acceptedIds);
			}
			catch (IOException ex) {
				throw new IllegalStateException("could not write " + record[0] + ": " + ex.getMessage());
			}
			out.printf("accepted order ids written to %s%n", record[0]);
		}
		return exit;
	}

	static Duration parseDuration(String value) {
		Matcher m = Pattern.compile("(\\d+)(ms|s|m)?").matcher(value.trim());
		if (!m.matches()) {
			throw new IllegalArgumentException("duration must look like 500ms, 30s or 2m, was " + value);
		}
		long n = Long.parseLong(m.group(1));
		return switch (m.group(2) == null ? "s" : m.group(2)) {
			case "ms" -> Duration.ofMillis(n);
			case "m" -> Duration.ofMinutes(n);
			default -> Duration.ofSeconds(n);
		};
	}

	private int load(double rate, Duration duration, PrintStream out) throws InterruptedException {
		out.printf("Loading %s with %.0f orders/s for %s (open loop)%n", this.gateway, rate, duration);
		Histogram acceptanceTotal = new Histogram(3);
		Histogram completionTotal = new Histogram(3);
		Thread poller = Thread.ofVirtual().start(this::pollUntilInterrupted);
		long start = System.nanoTime();
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
			if (System.nanoTime() >= nextReport) {
				progress(out, start);
				nextReport += 1_000_000_000L;
			}
			// Counted before its thread starts: the end of the run waits for every order
			// counted, and the last one's thread may not have run yet when the loop ends.
			this.sent.increment();
			Thread.ofVirtual().start(() -> place(scheduled));
		}
		long drainDeadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
		while ((this.sent.sum() > this.accepted.sum() + this.shed.sum() + this.failed.sum() || !this.pending.isEmpty())
				&& System.nanoTime() < drainDeadline) {
			Thread.sleep(POLL_INTERVAL); // waiting on remote state; nothing local to wait on
			if (System.nanoTime() >= nextReport) {
				progress(out, start);
				nextReport += 1_000_000_000L;
			}
		}
		poller.interrupt();
		out.printf("checking the final state of %d more orders...%n", this.unsampled.size());
		long checkDeadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
		while (!this.unsampled.isEmpty() && System.nanoTime() < checkDeadline) {
			String orderId = this.unsampled.poll();
			String status = status(orderId);
			if ("COMPLETED".equals(status)) {
				this.completed.increment();
			}
			else if ("CANCELLED".equals(status)) {
				this.cancelled.increment();
			}
			else {
				this.unsampled.add(orderId);
				Thread.sleep(POLL_INTERVAL); // not terminal yet; check the others first
			}
		}
		acceptanceTotal.add(this.acceptance.getIntervalHistogram());
		completionTotal.add(this.completion.getIntervalHistogram());
		double seconds = (System.nanoTime() - start) / 1e9;
		out.println();
		out.printf(
				"sent %d, accepted %d (201), shed %d (503 + Retry-After), failed %d, completed %d, cancelled %d, not terminal %d%n",
				this.sent.sum(), this.accepted.sum(), this.shed.sum(), this.failed.sum(), this.completed.sum(),
				this.cancelled.sum(), this.pending.size() + this.unsampled.size());
		out.printf("achieved %.1f orders/s accepted; run took %.1f s%n", this.accepted.sum() / (double) duration.toSeconds(),
				seconds);
		if (!this.failures.isEmpty()) {
			out.printf("failed: %s%n", this.failures);
		}
		report(out, "acceptance (201)", acceptanceTotal);
		report(out, "completion (terminal)", completionTotal);
		// Shedding is the platform working as designed under overload; anything else is not.
		return (this.failed.sum() == 0 && this.pending.isEmpty() && this.unsampled.isEmpty()) ? 0 : 1;
	}

	private void progress(PrintStream out, long start) {
		out.printf(
				"  %3ds  sent %6d  accepted %6d  shed %5d  failed %4d  sampled: completed %5d  cancelled %4d  in flight %5d%n",
				(System.nanoTime() - start) / 1_000_000_000L, this.sent.sum(), this.accepted.sum(), this.shed.sum(),
				this.failed.sum(), this.completed.sum(), this.cancelled.sum(), this.pending.size());
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

	private void place(long scheduled) {
		String sku = this.skus.get(ThreadLocalRandom.current().nextInt(this.skus.size()));
		String body = """
				{"customerId":"load-%d","items":[{"sku":"%s","quantity":1}],"paymentToken":"tok_visa",
				 "shippingAddress":{"country":"US","city":"Austin","line1":"1 Main St","postalCode":"78701"}}"""
			.formatted(ThreadLocalRandom.current().nextInt(1000), sku);
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/v1/orders"))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
			long latency = System.nanoTime() - scheduled;
			Matcher id = ORDER_ID.matcher(response.body());
			if (response.statusCode() == 201 && id.find()) {
				this.acceptance.recordValue(latency);
				this.acceptedIds.add(id.group(1));
				if (this.placed.incrementAndGet() % SAMPLE_EVERY == 0) {
					this.pending.put(id.group(1), scheduled);
				}
				else {
					this.unsampled.add(id.group(1));
				}
				// Counted last: the end of the run waits until every request is counted, and
				// then every counted order must already be in a set to be checked.
				this.accepted.increment();
			}
			else if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
				this.shed.increment();
			}
			else {
				fail("HTTP " + response.statusCode());
			}
		}
		catch (Exception ex) {
			fail(ex.getClass().getSimpleName());
		}
	}

	private void fail(String why) {
		this.failed.increment();
		this.failures.computeIfAbsent(why, (w) -> new LongAdder()).increment();
	}

	private String status(String orderId) {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create(this.gateway + "/api/v1/orders/" + orderId))
						.timeout(Duration.ofSeconds(5))
						.build(),
					HttpResponse.BodyHandlers.ofString());
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

	private void pollUntilInterrupted() {
		while (!Thread.currentThread().isInterrupted()) {
			for (Map.Entry<String, Long> order : this.pending.entrySet()) {
				String status = status(order.getKey());
				if ("COMPLETED".equals(status) || "CANCELLED".equals(status)) {
					this.completion.recordValue(System.nanoTime() - order.getValue());
					("COMPLETED".equals(status) ? this.completed : this.cancelled).increment();
					this.pending.remove(order.getKey());
				}
			}
			LockSupport.parkNanos(POLL_INTERVAL.toNanos());
		}
	}

}
