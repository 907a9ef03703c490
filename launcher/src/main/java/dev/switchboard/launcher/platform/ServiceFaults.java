package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A running service's injected fault, through its {@code /admin/faults} endpoint with the
 * platform's admin token: what {@code switchboard fault} sets, and what the lab's chain
 * sets on each service of its route.
 */
public final class ServiceFaults {

	private ServiceFaults() {
	}

	/**
	 * Injects {@code fault} (the endpoint's fields: {@code latencyMs}, {@code errorRate},
	 * {@code route}, ...); the service's answer, the fault as it now stands.
	 */
	public static String inject(RunningServices.Target target, Map<String, Object> fault)
			throws IOException, InterruptedException {
		return send(target, (request) -> request.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json(fault))));
	}

	/** The service's current fault and what it has done. */
	public static String show(RunningServices.Target target) throws IOException, InterruptedException {
		return send(target, HttpRequest.Builder::GET);
	}

	/** Removes the service's fault now. */
	public static void clear(RunningServices.Target target) throws IOException, InterruptedException {
		send(target, HttpRequest.Builder::DELETE);
	}

	private static String send(RunningServices.Target target, java.util.function.Consumer<HttpRequest.Builder> method)
			throws IOException, InterruptedException {
		URI uri = OperatorHttp.uri(target.runDir(), target.httpPort(), "/admin/faults");
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(5))
			.header("Authorization", "Bearer " + AdminToken.read(target.runDir()));
		method.accept(request);
		HttpResponse<String> response;
		try {
			response = OperatorHttp.client(target.runDir())
				.connectTimeout(Duration.ofSeconds(2))
				.build()
				.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not reach " + target.service() + " at " + uri + ": " + ex);
		}
		if (response.statusCode() >= 300) {
			throw new IllegalStateException(
					target.service() + " refused: HTTP " + response.statusCode() + " " + response.body());
		}
		return response.body();
	}

	/**
	 * The request body; values are numbers, booleans or a route without quotes to escape.
	 */
	private static String json(Map<String, Object> fault) {
		return fault.entrySet()
			.stream()
			.map((e) -> "\"" + e.getKey() + "\":"
					+ ((e.getValue() instanceof String text)
							? "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : e.getValue()))
			.collect(Collectors.joining(",", "{", "}"));
	}

}
