package dev.switchboard.platform.internal.messaging;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where this service is with each message it was sent: not seen yet, being handled since
 * an instant, or applied at an instant. A saga that waits for a participant's answer asks
 * this (through {@code /internal/messages/status}) before it gives up on a step, so that
 * a command still queued behind a participant that is down or restarting counts as
 * waiting, not as failing: only a step the participant took is timed out.
 *
 * <p>
 * Being handled is known only to the instance handling it (held in memory, gone with the
 * process, which then gets the message again); applied is read from the inbox, which
 * every instance shares. An applied message whose output (an answer, an event) still
 * waits in this service's outbox is reported as such: its answer is delayed, not lost.
 */
public final class MessageProgress {

	/** The state of one message, as this service knows it. */
	public enum State {

		/** Not handled by this instance now, and not in the inbox. */
		UNSEEN,

		/** Being handled by this instance since {@link Status#since()}. */
		IN_PROGRESS,

		/**
		 * Applied at {@link Status#since()} (the start of the transaction that applied
		 * it).
		 */
		DONE

	}

	/**
	 * @param since when handling started or the message was applied; {@code null} when
	 * unseen
	 * @param outputPending applied, and something this service wrote no later than that
	 * (its answer among it) still waits in the outbox to be sent
	 */
	public record Status(String id, State state, Instant since, boolean outputPending) {
	}

	private final Map<String, Instant> handling = new ConcurrentHashMap<>();

	private final Inbox inbox;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	MessageProgress(Inbox inbox, JdbcTemplate jdbc, Clock clock) {
		this.inbox = inbox;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Marks messages as being handled until the returned handle is closed; a message
	 * retried after a failure starts again from then.
	 */
	public Handling handling(Collection<String> ids) {
		Instant now = this.clock.instant();
		List<String> marked = List.copyOf(ids);
		marked.forEach((id) -> this.handling.put(id, now));
		return () -> marked.forEach(this.handling::remove);
	}

	/** Closes a {@link #handling} mark. */
	@FunctionalInterface
	public interface Handling extends AutoCloseable {

		@Override
		void close();

	}

	/** The status of each message, in the order asked. */
	public List<Status> statusOf(List<String> ids) {
		Map<String, Instant> applied = this.inbox.appliedAt(ids);
		Instant oldestUnsent = applied.isEmpty() ? null : oldestUnsentOutput();
		List<Status> statuses = new ArrayList<>(ids.size());
		for (String id : ids) {
			Instant done = applied.get(id);
			Instant started = this.handling.get(id);
			if (done != null) {
				statuses.add(new Status(id, State.DONE, done, oldestUnsent != null && !oldestUnsent.isAfter(done)));
			}
			else if (started != null) {
				statuses.add(new Status(id, State.IN_PROGRESS, started, false));
			}
			else {
				statuses.add(new Status(id, State.UNSEEN, null, false));
			}
		}
		return statuses;
	}

	/**
	 * When the oldest row still in the outbox (or parked for lack of room) was written.
	 */
	private Instant oldestUnsentOutput() {
		Timestamp oldest = this.jdbc.queryForObject("SELECT min(created_at) FROM platform.outbox", Timestamp.class);
		return (oldest != null) ? oldest.toInstant() : null;
	}

}
