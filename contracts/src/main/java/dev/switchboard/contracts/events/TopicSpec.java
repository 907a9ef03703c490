package dev.switchboard.contracts.events;

import java.util.Map;
import java.util.Objects;

/**
 * A topic of the platform: its name, the one service that writes it (and creates it), and
 * how long it keeps its records. The partition count is the same for all
 * ({@link Topics#PARTITIONS}).
 */
public record TopicSpec(String name, String owner, Retention retention) {

	public TopicSpec {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(owner, "owner");
		Objects.requireNonNull(retention, "retention");
	}

	/** The topic configuration it is created (and kept) with. */
	public Map<String, String> config() {
		return Map.of("retention.ms", Long.toString(this.retention.millis));
	}

	public enum Retention {

		/**
		 * Facts: kept for ever, since the analytics rebuild and any new reader replay
		 * them from the start.
		 */
		FOR_EVER(-1),

		/**
		 * Commands, replies and copies: worth nothing once handled; kept a week, long
		 * enough to look into and to replay after an incident.
		 */
		A_WEEK(7L * 24 * 60 * 60 * 1000);

		private final long millis;

		Retention(long millis) {
			this.millis = millis;
		}

	}

}
