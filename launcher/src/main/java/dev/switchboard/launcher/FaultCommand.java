package dev.switchboard.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code switchboard fault SERVICE ...}: injects a fault into a running service through its
 * {@code /admin/faults} endpoint, authorised with the platform's admin token.
 */
final class FaultCommand {

	static final String USAGE = """
			usage: switchboard fault SERVICE [--latency DURATION] [--error-rate R] [--abort]
			                         [--duplicate R] [--reorder R] [--route TEXT] [--for DURATION] [--data-dir DIR]
			       switchboard fault SERVICE --network-delay DURATION [--for DURATION] [--data-dir DIR]
			       switchboard fault SERVICE --clear | --show [--data-dir DIR]
			  --latency DURATION  delay each matching inbound call (e.g. 2s, 300ms)
			  --error-rate R      fail this share of matching calls (0 to 1) with UNAVAILABLE / 503
			  --abort             fail every matching call
			  --duplicate R       hand this share of the records its Kafka consumers poll to their
			                      handlers twice (0 to 1), as a redelivery would
			  --reorder R         swap this share of polled records with the next (0 to 1)
			  --route TEXT        only calls whose gRPC method or HTTP path contains TEXT
			                      (e.g. CheckAndReserve, /summary), or the messages of a work
			                      queue: queue:<queue>, or a consumer group's events:
			                      events:<group>; default: every call and message
			  --network-delay D   delay every byte sent to and from the service's gRPC port by D, in
			                      the delay proxy in front of it (a platform started with
			                      --delay-proxies on; proxied: order, inventory)
			  --for DURATION      how long the fault lasts (default 60s, at most 1h)
			  --clear             remove the service's fault (and network delay) now
			  --show              print the service's current fault and what it did
			Health and admin endpoints are never affected. One fault per service; a new one
			replaces the old.""";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private FaultCommand() {
	}

	static int run(List<String> args, PrintStream out) throws IOException, InterruptedException {
		List<String> rest = new ArrayList<>(args);
		boolean abort = rest.remove("--abort");
		boolean clear = rest.remove("--clear");
		boolean show = rest.remove("--show");
		Map<String, Object> fault = new LinkedHashMap<>();
		Duration[] networkDelay = { null };
		RunningServices.Target target = RunningServices.Target.parse(rest, USAGE, (option, value) -> {
			switch (option) {
				case "--latency" -> fault.put("latencyMs", duration(option, value).toMillis());
				case "--error-rate" -> fault.put("errorRate", rate(option, value));
				case "--duplicate" -> fault.put("duplicateRate", rate(option, value));
				case "--reorder" -> fault.put("reorderRate", rate(option, value));
				case "--route" -> fault.put("route", value);
				case "--network-delay" -> networkDelay[0] = duration(option, value);
				case "--for" -> fault.put("durationSeconds", Math.max(1, duration(option, value).toSeconds()));
				default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
			}
		});
		if (abort) {
			fault.put("abort", true);
		}
		if (networkDelay[0] != null) {
			if (clear || show || abort || fault.keySet().stream().anyMatch((key) -> !key.equals("durationSeconds"))) {
				throw new IllegalArgumentException("--network-delay takes only --for\n" + USAGE);
			}
			target.httpPort(); // the service is running
			long seconds = (long) fault.getOrDefault("durationSeconds", 60L);
			DelayProxy.setDelay(target.runDir(), target.service(), networkDelay[0],
					java.time.Instant.now().plusSeconds(seconds));
			out.printf("%s: every byte to and from its gRPC port delayed by %d ms for %d s%n", target.service(),
					networkDelay[0].toMillis(), seconds);
			return 0;
		}
		if (clear) {
			DelayProxy.clearDelay(target.runDir(), target.service());
		}
		if ((clear || show) && (!fault.isEmpty() || (clear && show))) {
			throw new IllegalArgumentException("--clear and --show take no fault options\n" + USAGE);
		}
		if (!clear && !show && !abort && java.util.stream.Stream.of("latencyMs", "errorRate", "duplicateRate", "reorderRate")
			.noneMatch(fault::containsKey)) {
			throw new IllegalArgumentException(
					"say what fault: --latency, --error-rate, --abort, --duplicate or --reorder\n" + USAGE);
		}
		URI uri = URI.create("http://127.0.0.1:" + target.httpPort() + "/admin/faults");
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(5))
			.header("Authorization", "Bearer " + AdminToken.read(target.runDir()));
		if (clear) {
			request.DELETE();
		}
		else if (show) {
			request.GET();
		}
		else {
			request.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json(fault)));
		}
		HttpResponse<String> response;
		try {
			response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not reach " + target.service() + " at " + uri + ": " + ex);
		}
		if (response.statusCode() >= 300) {
			throw new IllegalStateException(target.service() + " refused: HTTP " + response.statusCode() + " "
					+ response.body());
		}
		out.println(clear ? "cleared the fault of " + target.service() : target.service() + ": " + response.body());
		return 0;
	}

	static Duration duration(String option, String value) {
		if (!value.matches("\\d+(ms|s|m)")) {
			throw new IllegalArgumentException(option + " must be like 300ms, 2s or 1m, was " + value);
		}
		if (value.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
		}
		long amount = Long.parseLong(value.substring(0, value.length() - 1));
		return value.endsWith("s") ? Duration.ofSeconds(amount) : Duration.ofMinutes(amount);
	}

	private static double rate(String option, String value) {
		try {
			double rate = Double.parseDouble(value);
			if (rate >= 0 && rate <= 1) {
				return rate;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException(option + " must be a number from 0 to 1, was " + value);
	}

	/** The request body; values are numbers, booleans or a route without quotes to escape. */
	private static String json(Map<String, Object> fault) {
		return fault.entrySet()
			.stream()
			.map((e) -> "\"" + e.getKey() + "\":"
					+ ((e.getValue() instanceof String text) ? "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
							: e.getValue()))
			.collect(Collectors.joining(",", "{", "}"));
	}

}
