package dev.switchboard.order.domain.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The saga of one order: the state machine that decides, from each answer or timeout,
 * what must happen next. Every method returns the actions it decided on and records what
 * happened in the history.
 *
 * <p>
 * The rules, the same in both modes: steps run one at a time in {@link StepName} order.
 * When a step fails or times out, the order is cancelled and every step that may have had
 * an effect is compensated, the timed-out one included (its answer may only be late). A
 * late answer after a timeout never moves the saga forward again; the compensation
 * already under way undoes its effect. In orchestration the compensations run one at a
 * time in reverse order and each is retried with backoff until it is confirmed. In
 * choreography the participants undo their parts on their own when they read the
 * cancellation, so every step they will answer for is compensating at once; while any of
 * them has not confirmed, the cancellation is announced again with the same backoff.
 *
 * <p>
 * A step's timeout runs from when its participant took it. When an answer is overdue the
 * saga is told what the participant says ({@link StepProgress}): a step still waiting for
 * a participant that is down, restarting or busy waits on, up to the schedule-to-start
 * timeout, so a participant's restart delays orders instead of cancelling them.
 */
public final class Saga {

	private final String orderId;

	private final SagaMode mode;

	private final SagaTimeouts timeouts;

	private final Map<StepName, SagaStep> steps = new EnumMap<>(StepName.class);

	private final List<SagaEntry> newEntries = new ArrayList<>();

	/** The steps as they were created or restored, to tell which ones changed since. */
	private final Map<StepName, SagaStep> stored = new EnumMap<>(StepName.class);

	private SagaStatus status;

	private String reason;

	private Saga(String orderId, SagaMode mode, SagaStatus status, String reason, List<SagaStep> steps,
			SagaTimeouts timeouts) {
		this.orderId = Objects.requireNonNull(orderId);
		this.mode = Objects.requireNonNull(mode);
		this.status = Objects.requireNonNull(status);
		this.reason = reason;
		this.timeouts = Objects.requireNonNull(timeouts);
		for (StepName name : StepName.values()) {
			this.steps.put(name, SagaStep.pending(name));
		}
		steps.forEach((step) -> this.steps.put(step.name(), step));
		this.stored.putAll(this.steps);
	}

	/**
	 * A saga for an order whose stock was reserved at {@code reservedAt}: its first step
	 * is done, the charge starts.
	 */
	public static Saga begin(String orderId, SagaMode mode, Instant reservedAt, Instant now, SagaTimeouts timeouts) {
		Saga saga = new Saga(orderId, mode, SagaStatus.RUNNING, null, List.of(), timeouts);
		saga.steps.put(StepName.RESERVE,
				SagaStep.pending(StepName.RESERVE).started(reservedAt, null).ended(StepState.SUCCEEDED, now, null));
		saga.record(now, StepName.RESERVE, "succeeded", null);
		List<SagaAction> ignored = new ArrayList<>();
		saga.start(StepName.CHARGE, now, ignored);
		return saga;
	}

	/** A saga as stored. */
	public static Saga restore(String orderId, SagaMode mode, SagaStatus status, String reason, List<SagaStep> steps,
			SagaTimeouts timeouts) {
		return new Saga(orderId, mode, status, reason, steps, timeouts);
	}

	/** The actions to take right after {@link #begin}: run the charge. */
	public List<SagaAction> firstActions() {
		return List.of(new SagaAction.Execute(StepName.CHARGE));
	}

	public List<SagaAction> stepSucceeded(StepName step, String reference, Instant now) {
		List<SagaAction> actions = new ArrayList<>();
		catchUp(step, now, actions);
		SagaStep current = this.steps.get(step);
		if (current.state() != StepState.RUNNING || this.status != SagaStatus.RUNNING) {
			record(now, step, lateOrRepeated(current), reference);
			return actions;
		}
		this.steps.put(step, current.ended(StepState.SUCCEEDED, now, reference));
		record(now, step, "succeeded", reference);
		actions.add(new SagaAction.StepSucceeded(step, reference));
		Optional<StepName> next = next(step);
		if (next.isPresent()) {
			start(next.get(), now, actions);
		}
		else {
			this.status = SagaStatus.COMPLETED;
			record(now, null, "completed", null);
			actions.add(new SagaAction.Complete());
		}
		return actions;
	}

	public List<SagaAction> stepFailed(StepName step, String why, Instant now) {
		List<SagaAction> actions = new ArrayList<>();
		catchUp(step, now, actions);
		SagaStep current = this.steps.get(step);
		if (current.state() != StepState.RUNNING || this.status != SagaStatus.RUNNING) {
			record(now, step, lateOrRepeated(current), why);
			return actions;
		}
		this.steps.put(step, current.ended(StepState.FAILED, now, why));
		record(now, step, "failed", why);
		actions.addAll(cancel(step.name().toLowerCase() + " failed: " + why, now));
		return actions;
	}

	/**
	 * Choreography only: events about different steps come from different topics, so an
	 * answer can overtake the one before it. A participant only acts after the step
	 * before it succeeded (shipping ships only allocated stock), so an answer about a
	 * later step tells that every earlier one succeeded; they are recorded as such and
	 * the answer is applied to its step as if it were running.
	 */
	private void catchUp(StepName answered, Instant now, List<SagaAction> actions) {
		if (this.mode != SagaMode.CHOREOGRAPHY || this.status != SagaStatus.RUNNING
				|| this.steps.get(answered).state() != StepState.PENDING) {
			return;
		}
		for (StepName earlier : StepName.values()) {
			if (earlier == answered) {
				break;
			}
			SagaStep step = this.steps.get(earlier);
			if (step.state() == StepState.PENDING) {
				step = step.started(now, null);
			}
			if (step.state() == StepState.RUNNING) {
				this.steps.put(earlier, step.ended(StepState.SUCCEEDED, now, null));
				record(now, earlier, "succeeded (implied: " + answered.name().toLowerCase() + " answered first)", null);
				actions.add(new SagaAction.StepSucceeded(earlier, null));
			}
		}
		this.steps.put(answered, this.steps.get(answered).started(now, now.plus(this.timeouts.of(answered))));
	}

	public List<SagaAction> compensated(StepName step, Instant now) {
		SagaStep current = this.steps.get(step);
		if (current.state() != StepState.COMPENSATING) {
			record(now, step, "compensation answer ignored (step is " + current.state() + ")", null);
			return List.of();
		}
		this.steps.put(step, current.compensated(now));
		record(now, step, "compensated", null);
		List<SagaAction> actions = new ArrayList<>();
		if (this.mode == SagaMode.ORCHESTRATION) {
			compensateNext(now, actions);
		}
		finishIfCompensated(now);
		return actions;
	}

	/** A participant could not undo its step (yet): retried when its deadline passes. */
	public List<SagaAction> compensationFailed(StepName step, String why, Instant now) {
		record(now, step, "compensation failed, will retry", why);
		return List.of();
	}

	/**
	 * Gives up on every answer whose deadline has passed, knowing nothing of the
	 * participants.
	 */
	public List<SagaAction> deadlinePassed(Instant now) {
		return deadlinePassed(now, Map.of());
	}

	/**
	 * Acts on every deadline that has passed: a running step the participant took (or of
	 * which nothing is known) times out once its timeout has run from when it was taken;
	 * one still waiting for its participant waits on, up to the schedule-to-start
	 * timeout; an unconfirmed compensation is sent again.
	 * @param progress what the participants said of the steps due now, by step
	 */
	public List<SagaAction> deadlinePassed(Instant now, Map<StepName, StepProgress> progress) {
		List<SagaAction> actions = new ArrayList<>();
		for (SagaStep step : List.copyOf(this.steps.values())) {
			if (!step.isDue(now)) {
				continue;
			}
			if (step.state() == StepState.RUNNING && this.status == SagaStatus.RUNNING) {
				overdue(step, progress.get(step.name()), now, actions);
			}
			else if (step.state() == StepState.COMPENSATING) {
				int attempt = step.compensationAttempts() + 1;
				this.steps.put(step.name(),
						step.compensating(now, now.plus(this.timeouts.compensationBackoff(attempt))));
				record(now, step.name(), "compensation retried (attempt " + attempt + ")", null);
				actions.add(new SagaAction.Compensate(step.name(), attempt));
			}
		}
		return actions;
	}

	private void overdue(SagaStep step, StepProgress progress, Instant now, List<SagaAction> actions) {
		Duration startToClose = this.timeouts.of(step.name());
		boolean firstLook = step.deadline().equals(step.startedAt().plus(startToClose));
		String name = step.name().name().toLowerCase();
		switch (progress) {
			case StepProgress.Waiting waiting -> {
				Instant giveUp = step.startedAt().plus(this.timeouts.scheduleToStart());
				if (!now.isBefore(giveUp)) {
					timeOut(step, name + " was not taken within " + this.timeouts.scheduleToStart().toMillis() + " ms ("
							+ waiting.why() + ")", now, actions);
					return;
				}
				Instant next = now.plus(startToClose);
				this.steps.put(step.name(), step.waitingUntil(next.isBefore(giveUp) ? next : giveUp));
				if (firstLook) {
					record(now, step.name(), "waiting for its participant", waiting.why());
				}
			}
			case StepProgress.Started started when now.isBefore(started.at().plus(startToClose)) -> {
				this.steps.put(step.name(), step.waitingUntil(started.at().plus(startToClose)));
				if (firstLook) {
					record(now, step.name(), "taken by its participant late", "at " + started.at());
				}
			}
			case null, default ->
				timeOut(step, name + " timed out after " + startToClose.toMillis() + " ms", now, actions);
		}
	}

	private void timeOut(SagaStep step, String why, Instant now, List<SagaAction> actions) {
		this.steps.put(step.name(), step.ended(StepState.TIMED_OUT, now, null));
		record(now, step.name(), "timed out", why);
		actions.addAll(cancel(why, now));
	}

	/**
	 * The customer asks to cancel the order. While the saga runs and its shipment has not
	 * begun, it is cancelled as a failed step would cancel it: the step under way is
	 * stopped (its answer may still come, so it is compensated like one that timed out)
	 * and every step that may have had an effect is compensated.
	 * @throws CancellationRefusedException when the order is past cancelling
	 */
	public List<SagaAction> cancelRequested(String why, Instant now) {
		if (this.status != SagaStatus.RUNNING) {
			throw new CancellationRefusedException((this.status == SagaStatus.COMPENSATING)
					? "the order is already being cancelled" : "the order is " + this.status.name().toLowerCase());
		}
		if (this.steps.get(StepName.SHIP).state() != StepState.PENDING) {
			throw new CancellationRefusedException("the order is being shipped, past cancelling");
		}
		record(now, null, "cancellation requested", why);
		for (SagaStep step : List.copyOf(this.steps.values())) {
			if (step.state() == StepState.RUNNING) {
				this.steps.put(step.name(), step.ended(StepState.TIMED_OUT, now, null));
				record(now, step.name(), "stopped by the cancellation", null);
			}
		}
		return cancel(why, now);
	}

	/** A note on the order's timeline (its history), in any state. */
	public void annotate(String note, Instant now) {
		record(now, null, "note", note);
	}

	/**
	 * Notes which message the participant acts on to take a running step, so that it can
	 * be asked about it when the answer is overdue.
	 */
	public void triggered(StepName step, String messageId) {
		SagaStep current = this.steps.get(step);
		if (current.state() == StepState.RUNNING && messageId != null) {
			this.steps.put(step, current.triggeredBy(messageId));
		}
	}

	/**
	 * The running steps whose answer is overdue at {@code now}, with the message that
	 * triggered each.
	 */
	public Map<StepName, String> overdueTriggers(Instant now) {
		Map<StepName, String> triggers = new EnumMap<>(StepName.class);
		if (this.status == SagaStatus.RUNNING) {
			this.steps.values()
				.stream()
				.filter((s) -> s.state() == StepState.RUNNING && s.isDue(now) && s.trigger() != null)
				.forEach((s) -> triggers.put(s.name(), s.trigger()));
		}
		return triggers;
	}

	/** The earliest instant at which {@link #deadlinePassed} has something to do. */
	public Optional<Instant> deadline() {
		return this.steps.values()
			.stream()
			.map(SagaStep::deadline)
			.filter(Objects::nonNull)
			.min(Comparator.naturalOrder());
	}

	private List<SagaAction> cancel(String why, Instant now) {
		this.status = SagaStatus.COMPENSATING;
		this.reason = why;
		List<SagaAction> actions = new ArrayList<>();
		actions.add(new SagaAction.Cancel(why));
		if (this.mode == SagaMode.ORCHESTRATION) {
			compensateNext(now, actions);
		}
		else {
			// Payment, inventory and shipping each answer a cancellation with an event,
			// whatever they had done; only a failed step has nothing to answer for.
			for (SagaStep step : List.copyOf(this.steps.values())) {
				if (step.state() != StepState.FAILED) {
					this.steps.put(step.name(), step.compensating(now, now.plus(this.timeouts.compensationBackoff(1))));
					record(now, step.name(), "compensating", null);
				}
			}
		}
		finishIfCompensated(now);
		return actions;
	}

	private void compensateNext(Instant now, List<SagaAction> actions) {
		if (this.steps.values().stream().anyMatch((s) -> s.state() == StepState.COMPENSATING)) {
			return;
		}
		List<StepName> reverse = new ArrayList<>(List.of(StepName.values()));
		Collections.reverse(reverse);
		for (StepName name : reverse) {
			SagaStep step = this.steps.get(name);
			if (step.state().mayHaveHadAnEffect()) {
				this.steps.put(name, step.compensating(now, now.plus(this.timeouts.compensationBackoff(1))));
				record(now, name, "compensating (attempt 1)", null);
				actions.add(new SagaAction.Compensate(name, 1));
				return;
			}
		}
	}

	private void finishIfCompensated(Instant now) {
		boolean pending = this.steps.values()
			.stream()
			.anyMatch((s) -> s.state() == StepState.COMPENSATING || s.state().mayHaveHadAnEffect());
		if (this.status == SagaStatus.COMPENSATING && !pending) {
			this.status = SagaStatus.CANCELLED;
			record(now, null, "cancelled", this.reason);
		}
	}

	private void start(StepName step, Instant now, List<SagaAction> actions) {
		this.steps.put(step, this.steps.get(step).started(now, now.plus(this.timeouts.of(step))));
		record(now, step, "started", null);
		actions.add(new SagaAction.Execute(step));
	}

	private static Optional<StepName> next(StepName step) {
		StepName[] all = StepName.values();
		return step.ordinal() + 1 < all.length ? Optional.of(all[step.ordinal() + 1]) : Optional.empty();
	}

	private static String lateOrRepeated(SagaStep step) {
		return switch (step.state()) {
			case SUCCEEDED, FAILED -> "repeated answer ignored";
			case TIMED_OUT -> "late answer after timeout ignored; its compensation undoes the effect";
			default -> "late answer ignored (step is " + step.state().name().toLowerCase()
					+ "); its compensation undoes any effect";
		};
	}

	private void record(Instant at, StepName step, String event, String detail) {
		this.newEntries.add(new SagaEntry(at, step, event, detail));
	}

	public String orderId() {
		return this.orderId;
	}

	public SagaMode mode() {
		return this.mode;
	}

	public SagaStatus status() {
		return this.status;
	}

	/** Why the saga was cancelled; {@code null} otherwise. */
	public String reason() {
		return this.reason;
	}

	public List<SagaStep> steps() {
		return List.copyOf(this.steps.values());
	}

	public SagaStep step(StepName name) {
		return this.steps.get(name);
	}

	/** The steps that changed since this object was created or restored, to be stored. */
	public List<SagaStep> changedSteps() {
		return this.steps.values().stream().filter((step) -> !step.equals(this.stored.get(step.name()))).toList();
	}

	/**
	 * The steps whose run or whose compensation ended since this object was created or
	 * restored: a compensated step for its compensation, any other for its run.
	 */
	public List<SagaStep> endedSteps() {
		return this.steps.values().stream().filter((step) -> {
			SagaStep before = this.stored.get(step.name());
			return (step.state() == StepState.COMPENSATED)
					? !Objects.equals(before.compensationEndedAt(), step.compensationEndedAt())
					: step.endedAt() != null && !Objects.equals(before.endedAt(), step.endedAt());
		}).toList();
	}

	/** History recorded since this object was created or restored, to be stored. */
	public List<SagaEntry> newEntries() {
		return List.copyOf(this.newEntries);
	}

}
