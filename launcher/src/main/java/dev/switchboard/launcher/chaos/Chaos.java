package dev.switchboard.launcher.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

import dev.switchboard.launcher.fault.FaultCommand;
import dev.switchboard.launcher.load.LoadGenerator;
import dev.switchboard.launcher.platform.DelayProxy;
import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.LoadClient;
import dev.switchboard.launcher.platform.OrderDatabase;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.platform.ServiceProcess;
import dev.switchboard.launcher.platform.ServiceSpec;

/**
 * {@code switchboard chaos}: orders at a steady rate while a nemesis breaks the platform
 * on a schedule it prints first; then the platform drains, the {@link InvariantChecker}
 * checks every order it has, and a verdict says what was placed, how it ended, whether
 * each invariant held, and how long the platform took to serve an order again after each
 * fault.
 *
 * <p>
 * The faults are those of a real deployment: a process killed ({@code kill -9}) or frozen
 * (SIGSTOP) mid-work, the broker or the database killed and restarted, the database away
 * (every PostgreSQL process frozen) for longer than any retry window, slow and failing
 * calls (the services' fault endpoints), Kafka deliveries duplicated and reordered (the
 * same), and a slow network between services (the delay proxies of
 * {@code up --delay-proxies on}). One fault at a time, so that each recovery can be
 * timed: after each, a probe order is placed and followed, and the time from the fault's
 * end to that order's completion is its recovery time.
 */
final class Chaos {

	/**
	 * How long the nemesis waits for a fault's target to be back from the previous fault.
	 */
	private static final Duration TARGET_BACK_LIMIT = Duration.ofMinutes(2);

	private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern DETAIL = Pattern.compile("\"detail\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

	/** How long a probe order may take before its fault is reported as not recovered. */
	private static final Duration PROBE_LIMIT = Duration.ofMinutes(5);

	/** The services whose Kafka consumers get duplicated and reordered deliveries. */
	private static final List<String> CONSUMERS = List.of("order", "inventory", "payment", "shipping", "notification",
			"analytics");

	private final Path dataDir;

	private final Path runDir;

	private final ServiceProcess.Readiness readiness;

	private final String gateway;

	private final PrintStream out;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	/** Orders the probes placed (answered 201), which the invariants check too. */
	private final List<String> probes = new java.util.concurrent.CopyOnWriteArrayList<>();

	private long start;

	/** The platform's load client: the load and the probes order as it. */
	private final AccessTokens tokens;

	Chaos(Path dataDir, String gateway, PrintStream out) throws IOException {
		this.dataDir = dataDir;
		this.runDir = dataDir.resolve("run");
		this.readiness = ServiceProcess.Readiness.http(this.runDir);
		this.gateway = gateway;
		this.out = out;
		this.tokens = new AccessTokens(gateway, LoadClient.of(this.runDir), AccessTokens.ALL_SCOPES);
	}

	/** What the nemesis does at one point of the schedule. */
	enum Kind {

		KILL, PAUSE, KILL_INFRASTRUCTURE, DATABASE_AWAY, LATENCY, ERRORS, DUPLICATES, NETWORK_DELAY

	}

	/**
	 * One fault of the schedule.
	 *
	 * @param at when it starts, from the start of the load
	 * @param kind what it is
	 * @param target the service (or kafka, postgres) it hits; {@code *} for every
	 * consumer
	 * @param lasts how long it lasts (zero for a kill)
	 */
	record Fault(Duration at, Kind kind, String target, Duration lasts) {

		String describe() {
			return switch (this.kind) {
				case KILL, KILL_INFRASTRUCTURE -> "kill -9 " + this.target;
				case PAUSE -> "pause " + this.target + " (SIGSTOP) for " + seconds(this.lasts);
				case DATABASE_AWAY -> "database away (every PostgreSQL process stopped) for " + seconds(this.lasts);
				case LATENCY ->
					"slow calls and queue messages into " + this.target + " (+800 ms) for " + seconds(this.lasts);
				case ERRORS -> "30% of calls into " + this.target + " fail for " + seconds(this.lasts);
				case DUPLICATES -> "Kafka deliveries duplicated (20%) and reordered (20%) in every consumer for "
						+ seconds(this.lasts);
				case NETWORK_DELAY ->
					"network to " + this.target + "'s gRPC port +250 ms each way for " + seconds(this.lasts);
			};
		}

	}

	/** What one fault did. */
	record Outcome(Fault fault, Instant injected, Instant healed, Instant recovered, String probeStatus, String note) {
	}

	/**
	 * The full nemesis, laid out on ten minutes; stretched or shrunk to the run's length.
	 */
	static List<Fault> fullScenario(Duration duration) {
		List<Fault> faults = new ArrayList<>();
		double scale = duration.toMillis() / 600_000.0;
		Object[][] plan = { { 10, Kind.KILL, "order", 0 }, { 30, Kind.NETWORK_DELAY, "inventory", 20 },
				{ 55, Kind.KILL, "payment", 0 }, { 75, Kind.PAUSE, "inventory", 8 }, { 95, Kind.KILL, "inventory", 0 },
				{ 115, Kind.LATENCY, "payment", 20 }, { 140, Kind.KILL, "shipping", 0 },
				{ 160, Kind.KILL_INFRASTRUCTURE, "kafka", 0 }, { 185, Kind.DUPLICATES, "*", 30 },
				{ 220, Kind.KILL, "notification", 0 }, { 240, Kind.KILL_INFRASTRUCTURE, "postgres", 0 },
				{ 265, Kind.DATABASE_AWAY, "postgres", 60 }, { 335, Kind.KILL, "analytics", 0 },
				{ 350, Kind.KILL, "gateway", 0 }, { 370, Kind.ERRORS, "inventory", 20 }, { 395, Kind.KILL, "order", 0 },
				{ 410, Kind.PAUSE, "payment", 8 }, { 425, Kind.KILL, "payment", 0 },
				{ 440, Kind.NETWORK_DELAY, "order", 20 }, { 465, Kind.KILL, "inventory", 0 },
				{ 480, Kind.KILL, "shipping", 0 }, { 495, Kind.KILL_INFRASTRUCTURE, "kafka", 0 },
				{ 510, Kind.KILL, "notification", 0 }, { 520, Kind.KILL_INFRASTRUCTURE, "postgres", 0 },
				{ 535, Kind.KILL, "analytics", 0 }, { 545, Kind.KILL, "gateway", 0 },
				{ 555, Kind.DUPLICATES, "*", 30 } };
		for (Object[] step : plan) {
			faults.add(new Fault(Duration.ofMillis(Math.round((int) step[0] * 1000 * scale)), (Kind) step[1],
					(String) step[2], Duration.ofSeconds((int) step[3])));
		}
		return faults;
	}

	/**
	 * One fault of each kind, briefer, laid out on ninety seconds (what the test suite
	 * runs).
	 */
	static List<Fault> shortScenario(Duration duration) {
		List<Fault> faults = new ArrayList<>();
		double scale = duration.toMillis() / 90_000.0;
		// One after the other, so that each recovery can be timed (the nemesis waits for
		// one fault to end before the next); the consumers' duplicates come once the
		// order service killed first is back, so its saga answers get them too.
		Object[][] plan = { { 3, Kind.KILL, "order", 0 }, { 18, Kind.DUPLICATES, "*", 15 },
				{ 34, Kind.KILL, "payment", 0 }, { 38, Kind.NETWORK_DELAY, "inventory", 8 },
				{ 47, Kind.PAUSE, "shipping", 5 }, { 53, Kind.KILL_INFRASTRUCTURE, "kafka", 0 },
				{ 57, Kind.LATENCY, "payment", 6 }, { 64, Kind.ERRORS, "inventory", 6 },
				{ 71, Kind.DATABASE_AWAY, "postgres", 12 }, { 84, Kind.KILL, "inventory", 0 },
				{ 86, Kind.KILL_INFRASTRUCTURE, "postgres", 0 }, { 88, Kind.KILL, "shipping", 0 } };
		for (Object[] step : plan) {
			faults.add(new Fault(Duration.ofMillis(Math.round((int) step[0] * 1000 * scale)), (Kind) step[1],
					(String) step[2], Duration.ofSeconds((int) step[3])));
		}
		return faults;
	}

	/**
	 * Waits, up to {@link #TARGET_BACK_LIMIT}, until the service a fault hits is back
	 * from an earlier fault (restarted after a kill, on a slow machine): a fault injected
	 * into a service that is down is no fault, and its recovery could not be timed. The
	 * schedule slips by the wait.
	 * @return what was waited for, or {@code null} when the target was up
	 */
	private String awaitUp(Fault fault) throws InterruptedException {
		if (ServiceSpec.PLATFORM.stream().noneMatch((s) -> s.name().equals(fault.target()))) {
			return null;
		}
		long started = System.nanoTime();
		long limit = started + TARGET_BACK_LIMIT.toNanos();
		while (!isUp(fault.target()) && System.nanoTime() < limit) {
			// Polling another process's health endpoint; nothing to wait on instead.
			Thread.sleep(250);
		}
		double waited = (System.nanoTime() - started) / 1e9;
		return (waited < 0.5) ? null
				: String.format("waited %.1f s for %s to be back from the last fault", waited, fault.target());
	}

	private boolean isUp(String service) {
		try {
			return this.readiness.isReady(target(service).managementPort());
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/** Runs the load and the nemesis, then checks; whether every invariant held. */
	boolean run(double rate, Duration duration, String scenario, List<Fault> faults, Duration settle) throws Exception {
		this.out.printf("Chaos on the platform in %s: %.0f orders/s for %s, scenario %s%n", this.dataDir, rate,
				seconds(duration), scenario);
		this.out.println("Schedule (from the start of the load):");
		faults.forEach((f) -> this.out.printf("  +%5.0fs  %s%n", f.at().toMillis() / 1000.0, f.describe()));
		OrderDatabase orders = OrderDatabase.of(this.runDir);
		LoadGenerator load = new LoadGenerator(this.gateway, this.tokens, LoadGenerator.defaultSkus(), orders);
		this.start = System.nanoTime();
		Instant loadStart = Instant.now();
		CompletableFuture<LoadGenerator.Result> loading = CompletableFuture.supplyAsync(() -> {
			try {
				return load.load(rate, duration, new PrintStream(OutputStream.nullOutputStream()), false);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}, (task) -> Thread.ofVirtual().name("chaos-load").start(task));

		List<Outcome> outcomes = new ArrayList<>();
		List<CompletableFuture<Void>> recoveries = new ArrayList<>();
		for (Fault fault : faults) {
			long due = this.start + fault.at().toNanos();
			long wait = due - System.nanoTime();
			if (wait > 0) {
				// The schedule: nothing to do until the next fault.
				Thread.sleep(Duration.ofNanos(wait));
			}
			String back = awaitUp(fault);
			if (back != null) {
				this.out.printf("  +%5.1fs  %s%n", elapsed(), back);
			}
			Instant injected = Instant.now();
			this.out.printf("  +%5.1fs  %s%n", elapsed(), fault.describe());
			String note;
			try {
				note = inject(fault);
			}
			catch (Exception ex) {
				note = "could not inject: " + ex.getMessage();
			}
			Instant healed = Instant.now();
			if (note != null) {
				this.out.printf("  +%5.1fs    %s%n", elapsed(), note);
			}
			int index;
			synchronized (outcomes) {
				index = outcomes.size();
				outcomes.add(new Outcome(fault, injected, healed, null, "probing", note));
			}
			String finalNote = note;
			recoveries.add(CompletableFuture.runAsync(() -> {
				String[] status = { null, null };
				Instant recovered = probe(status);
				String probeNote = (status[1] == null) ? finalNote : (finalNote == null || finalNote.startsWith("pid "))
						? status[1] : finalNote + "; " + status[1];
				synchronized (outcomes) {
					outcomes.set(index, new Outcome(fault, injected, healed, recovered, status[0], probeNote));
				}
			}, (task) -> Thread.ofVirtual().name("chaos-probe").start(task)));
		}
		this.out.printf("  +%5.1fs  nemesis done; the load runs to its end, then the platform drains%n", elapsed());
		LoadGenerator.Result result = loading.get();
		CompletableFuture.allOf(recoveries.toArray(CompletableFuture[]::new)).get();
		this.out.printf("  +%5.1fs  load done, every probe settled%n", elapsed());
		this.out.println();
		LoadGenerator.report(this.out, result);

		this.out.println();
		this.out.printf("Checking the invariants over every order the platform has (settling for up to %s)...%n",
				seconds(settle));
		Map<String, String> expected = new HashMap<>();
		List<String> acknowledged = new ArrayList<>(result.acceptedIds());
		acknowledged.addAll(this.probes);
		List<String> violations = InvariantChecker.forPlatformOn(this.dataDir)
			.awaitHold(expected, acknowledged, settle);
		for (String invariant : InvariantChecker.INVARIANTS) {
			List<String> broken = violations.stream().filter((v) -> v.startsWith(invariant + ":")).toList();
			if (broken.isEmpty()) {
				if (!invariant.equals("reading the platform")) {
					this.out.printf("  held      %s%n", invariant);
				}
			}
			else {
				broken.forEach((v) -> this.out.printf("  VIOLATED  %s%n", v));
			}
		}

		this.out.println();
		report(outcomes, load, orders, loadStart);
		this.out.println();
		boolean held = violations.isEmpty();
		this.out.printf(
				"Verdict: %s. %d orders placed, %d accepted, %d completed, %d cancelled, %d shed, %d failed; "
						+ "%d probe orders; %d faults injected.%n",
				held ? "PASS, every invariant held" : "FAIL, invariants violated", result.sent(), result.accepted(),
				result.completed(), result.cancelled(), result.shed(), result.failed(), this.probes.size(),
				faults.size());
		return held;
	}

	/**
	 * Injects a fault and returns when it is over, with a note on what it did, or
	 * {@code null}.
	 */
	private String inject(Fault fault) throws Exception {
		PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
		switch (fault.kind()) {
			case KILL, KILL_INFRASTRUCTURE -> {
				ProcessHandle process = target(fault.target()).process();
				process.destroyForcibly();
				return "pid " + process.pid() + " killed";
			}
			case PAUSE -> {
				ProcessHandle process = target(fault.target()).process();
				RunningServices.signal(process, "STOP");
				try {
					Thread.sleep(fault.lasts()); // the pause itself
				}
				finally {
					RunningServices.signal(process, "CONT");
				}
				return null;
			}
			case DATABASE_AWAY -> {
				ProcessHandle postmaster = target("postgres").process();
				List<ProcessHandle> all = new ArrayList<>();
				all.add(postmaster);
				postmaster.descendants().forEach(all::add);
				// The postmaster first, so it starts no process that would escape.
				all.forEach((p) -> RunningServices.signal(p, "STOP"));
				try {
					Thread.sleep(fault.lasts()); // the outage itself
				}
				finally {
					all.reversed().forEach((p) -> RunningServices.signal(p, "CONT"));
				}
				return all.size() + " PostgreSQL processes stopped, then resumed";
			}
			case LATENCY -> {
				FaultCommand.run(List.of(fault.target(), "--latency", "800ms", "--for", fault.lasts().toSeconds() + "s",
						"--data-dir", this.dataDir.toString()), quiet);
				// The fault clears itself when its time is up.
				Thread.sleep(fault.lasts());
				return null;
			}
			case ERRORS -> {
				FaultCommand.run(List.of(fault.target(), "--error-rate", "0.3", "--for",
						fault.lasts().toSeconds() + "s", "--data-dir", this.dataDir.toString()), quiet);
				Thread.sleep(fault.lasts());
				return null;
			}
			case DUPLICATES -> {
				List<String> reached = new ArrayList<>();
				for (String service : CONSUMERS) {
					try {
						FaultCommand.run(List.of(service, "--duplicate", "0.2", "--reorder", "0.2", "--for",
								fault.lasts().toSeconds() + "s", "--data-dir", this.dataDir.toString()), quiet);
						reached.add(service);
					}
					catch (IllegalStateException ex) {
						// Down now (restarting after an earlier kill): left out.
					}
				}
				Thread.sleep(fault.lasts());
				long duplicated = 0;
				long reordered = 0;
				for (String service : reached) {
					String shown = show(service);
					duplicated += number(shown, "duplicatedDeliveries");
					reordered += number(shown, "reorderedDeliveries");
				}
				return "duplicated " + duplicated + " and reordered " + reordered + " deliveries in " + reached;
			}
			case NETWORK_DELAY -> {
				if (!Files.exists(DelayProxy.proxyFile(this.runDir, fault.target()))) {
					return "skipped: no delay proxy (start the platform with --delay-proxies on)";
				}
				DelayProxy.setDelay(this.runDir, fault.target(), Duration.ofMillis(250),
						Instant.now().plus(fault.lasts()));
				Thread.sleep(fault.lasts());
				return null;
			}
			default -> throw new IllegalStateException("unknown fault " + fault.kind());
		}
	}

	private RunningServices.Target target(String service) {
		return new RunningServices.Target(service, this.runDir);
	}

	/** A service's fault, as its admin endpoint shows it (what the fault did so far). */
	private String show(String service) {
		try {
			java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
			FaultCommand.run(List.of(service, "--show", "--data-dir", this.dataDir.toString()), new PrintStream(shown));
			return shown.toString();
		}
		catch (Exception ex) {
			return "";
		}
	}

	private static long number(String json, String field) {
		Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
		return m.find() ? Long.parseLong(m.group(1)) : 0;
	}

	/**
	 * Places one order (retrying, under one key, what was not placed or whose outcome is
	 * unknown) and follows it to its end; when it ended, or {@code null} past the limit
	 * or on a refusal. {@code status} gets how it ended, or why it did not, and a note.
	 */
	private Instant probe(String[] status) {
		long giveUp = System.nanoTime() + PROBE_LIMIT.toNanos();
		int sku = ThreadLocalRandom.current().nextInt(1, 101);
		String key = "chaos-probe-" + UUID.randomUUID();
		String body = probeOrder(sku);
		String orderId = null;
		String lastAnswer = "none";
		int soldOut = 0;
		while (orderId == null && System.nanoTime() < giveUp) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/v1/orders"))
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", key)
				.POST(HttpRequest.BodyPublishers.ofString(body)));
			Matcher id = (response != null) ? ORDER_ID.matcher(response.body()) : null;
			if (response != null && response.statusCode() == 201 && id.find()) {
				orderId = id.group(1);
				this.probes.add(orderId);
			}
			else {
				lastAnswer = (response != null) ? response.statusCode() + " " + detail(response.body()) : "no answer";
				if (response != null && response.statusCode() == 409 && ++soldOut < 100) {
					// That SKU is sold out (the platform's other users bought it): the
					// catalogue's state, not the fault's. The next SKU, as a new order.
					sku = sku % 100 + 1;
					key = "chaos-probe-" + UUID.randomUUID();
					body = probeOrder(sku);
					continue;
				}
				if (response != null && !retryable(response.statusCode())) {
					// A refusal, not an outage: asking again gets the same answer.
					break;
				}
				// Not placed yet: the platform is recovering.
				pause(Duration.ofMillis(500));
			}
		}
		while (orderId != null && System.nanoTime() < giveUp) {
			HttpResponse<String> response = send(
					HttpRequest.newBuilder(URI.create(this.gateway + "/api/v1/orders/" + orderId)).GET());
			Matcher s = (response != null && response.statusCode() == 200) ? STATUS.matcher(response.body()) : null;
			if (s != null && s.find() && (s.group(1).equals("COMPLETED") || s.group(1).equals("CANCELLED"))) {
				status[0] = s.group(1);
				return Instant.now();
			}
			pause(Duration.ofMillis(250)); // following the order to its end
		}
		status[0] = (orderId == null) ? "not placed" : "not ended";
		status[1] = (orderId == null) ? "the probe's last answer: " + lastAnswer : "the probe order: " + orderId;
		return null;
	}

	private static String probeOrder(int sku) {
		return """
				{"customerId":"chaos-probe","items":[{"sku":"SKU-%04d","quantity":1}],"paymentToken":"tok_visa",
				 "shippingAddress":{"country":"US","city":"Austin","line1":"1 Main St","postalCode":"78701"}}"""
			.formatted(sku);
	}

	/** Answers that say "not now" rather than "no": asked again, they may change. */
	private static boolean retryable(int status) {
		return status == 408 || status == 429 || status >= 500;
	}

	private static String detail(String problem) {
		Matcher m = DETAIL.matcher(problem);
		return m.find() ? m.group(1) : problem.substring(0, Math.min(120, problem.length()));
	}

	/** Sends as the load client; no answer is {@code null}. */
	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(
					request.timeout(Duration.ofSeconds(10)).setHeader("Authorization", this.tokens.header()).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 401) {
				this.tokens.renew();
				response = this.http.send(request.setHeader("Authorization", this.tokens.header()).build(),
						HttpResponse.BodyHandlers.ofString());
			}
			return response;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Each fault: when, how long to recover, and what it did to the orders scheduled
	 * while it lasted and until the platform recovered (acceptance and completion
	 * latency).
	 */
	private void report(List<Outcome> outcomes, LoadGenerator load, OrderDatabase orders, Instant loadStart)
			throws SQLException {
		Map<String, Instant> scheduled = load.scheduledAt();
		Map<String, Long> acceptance = load.acceptanceByOrder();
		Map<String, OrderDatabase.Outcome> ends = (orders != null) ? orders.outcomes(List.copyOf(scheduled.keySet()))
				: Map.of();
		this.out
			.println("Faults (recovered: from the fault's end until a probe order placed then had ended; latency of");
		this.out.println("the load's orders scheduled from the fault's start until then, in ms):");
		this.out.printf("  %-72s %7s %9s %9s %6s %11s %11s %11s%n", "fault", "at", "lasted", "recovered", "orders",
				"accept p99", "end p99", "end max");
		Histogram all = new Histogram(3);
		for (Map.Entry<String, Instant> order : scheduled.entrySet()) {
			OrderDatabase.Outcome end = ends.get(order.getKey());
			if (end != null) {
				all.recordValue(Math.max(0, Duration.between(order.getValue(), end.at()).toMillis()));
			}
		}
		for (Outcome outcome : outcomes) {
			Instant until = (outcome.recovered() != null) ? outcome.recovered() : outcome.healed();
			Histogram accepted = new Histogram(3);
			Histogram ended = new Histogram(3);
			scheduled.forEach((id, at) -> {
				if (!at.isBefore(outcome.injected()) && at.isBefore(until)) {
					accepted.recordValue(Math.max(0, acceptance.getOrDefault(id, 0L) / 1_000_000));
					OrderDatabase.Outcome end = ends.get(id);
					if (end != null) {
						ended.recordValue(Math.max(0, Duration.between(at, end.at()).toMillis()));
					}
				}
			});
			String recovered = (outcome.recovered() != null)
					? String.format("%.1fs",
							Duration.between(outcome.healed(), outcome.recovered()).toMillis() / 1000.0)
					: outcome.probeStatus();
			if (outcome.recovered() != null && !"COMPLETED".equals(outcome.probeStatus())) {
				recovered += " (" + outcome.probeStatus() + ")";
			}
			this.out.printf("  %-72s %6.0fs %8.1fs %9s %6d %11s %11s %11s%n", outcome.fault().describe(),
					Duration.between(loadStart, outcome.injected()).toMillis() / 1000.0,
					Duration.between(outcome.injected(), outcome.healed()).toMillis() / 1000.0, recovered,
					accepted.getTotalCount(), percentile(accepted, 99), percentile(ended, 99), percentile(ended, 100));
			if (outcome.note() != null && !outcome.note().startsWith("pid ")) {
				this.out.printf("    %s%n", outcome.note());
			}
		}
		this.out.printf("  %-72s %7s %9s %9s %6d %11s %11s %11s%n", "the whole run", "", "", "", all.getTotalCount(),
				"", percentile(all, 99), percentile(all, 100));
	}

	private static String percentile(Histogram h, double percentile) {
		if (h.getTotalCount() == 0) {
			return "-";
		}
		return Long.toString((percentile >= 100) ? h.getMaxValue() : h.getValueAtPercentile(percentile));
	}

	private double elapsed() {
		return (System.nanoTime() - this.start) / 1e9;
	}

	private static String seconds(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
	}

}
