package dev.switchboard.launcher.logs;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One line of a service's log: an Elastic Common Schema object (what services started by
 * {@code up} write), or any other text (the JVM's own warnings, the broker's log), which
 * keeps the time of the line before it.
 *
 * @param time when it was written
 * @param service the service whose log it is in
 * @param level {@code INFO}, {@code WARN}... ; empty for text
 * @param traceId the trace it was written in; {@code null} outside any
 * @param orderId the order the message being handled was about; {@code null} when none
 * @param message what it says, with the error and its stack trace after it
 * @param raw the line as written
 */
record LogLine(Instant time, String service, String level, String traceId, String orderId, String message, String raw) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
		.withZone(ZoneId.systemDefault());

	/**
	 * Reads {@code raw}, written to {@code service}'s log after a line of
	 * {@code previous}.
	 */
	static LogLine parse(String service, String raw, Instant previous) {
		if (raw.startsWith("{")) {
			try {
				JsonNode json = JSON.readTree(raw);
				Instant time = Instant.parse(json.path("@timestamp").asString());
				StringBuilder message = new StringBuilder(json.path("message").asString(""));
				JsonNode error = json.path("error");
				if (error.isObject()) {
					String stack = error.path("stack_trace").asString("");
					message.append(stack.isEmpty()
							? "\n  " + error.path("type").asString("") + ": " + error.path("message").asString("")
							: "\n  " + stack.strip().replace("\n", "\n  "));
				}
				return new LogLine(time, service, json.path("log").path("level").asString(""),
						text(json.path("traceId")), text(json.path("orderId")), message.toString(), raw);
			}
			catch (JacksonException | DateTimeParseException ex) {
				// Not one of ours after all: shown as it is.
			}
		}
		return new LogLine(previous, service, "", null, null, raw, raw);
	}

	private static String text(JsonNode node) {
		return node.isString() ? node.asString() : null;
	}

	/**
	 * Whether this line concerns {@code orderId}: it names it, or it belongs to one of
	 * {@code traces}.
	 */
	boolean concerns(String orderId, java.util.Set<String> traces) {
		return orderId.equals(this.orderId) || this.message.contains(orderId)
				|| (this.traceId != null && traces.contains(this.traceId));
	}

	/** How a person reads it: local time, service, level, message, trace id. */
	String readable() {
		return String.format("%s %-12s %-5s %s%s", CLOCK.format(this.time), this.service, this.level, this.message,
				(this.traceId != null) ? "  trace=" + this.traceId : "");
	}

}
