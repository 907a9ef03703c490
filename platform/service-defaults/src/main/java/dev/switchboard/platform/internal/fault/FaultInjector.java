package dev.switchboard.platform.internal.fault;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault currently injected into this service, if any, and what it has done so far.
 * Off until an operator sets one through {@code /admin/faults}.
 */
public final class FaultInjector {

	private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

	private final Clock clock;

	private final AtomicReference<Fault> current = new AtomicReference<>();

	private final LongAdder delayed = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder duplicated = new LongAdder();

	private final LongAdder reordered = new LongAdder();

	private final LongAdder delayedDeliveries = new LongAdder();

	FaultInjector(Clock clock) {
		this.clock = clock;
	}

	/**
	 * An injector no operator can reach: it never has a fault (where fault injection is
	 * not configured).
	 */
	public static FaultInjector none() {
		return new FaultInjector(Clock.systemUTC());
	}

	void set(Fault fault) {
		this.current.set(fault);
		this.delayed.reset();
		this.failed.reset();
		this.duplicated.reset();
		this.reordered.reset();
		this.delayedDeliveries.reset();
		log.warn("Fault injected: {}", fault);
	}

	void clear() {
		if (this.current.getAndSet(null) != null) {
			log.warn("Fault cleared");
		}
	}

	Optional<Fault> current() {
		Fault fault = this.current.get();
		if (fault != null && !this.clock.instant().isBefore(fault.until())) {
			this.current.compareAndSet(fault, null);
			return Optional.empty();
		}
		return Optional.ofNullable(fault);
	}

	/**
	 * Applies the fault to one inbound call: sleeps for its latency (the caller runs on a
	 * virtual thread) and says whether the call must fail.
	 */
	boolean applyTo(String target) {
		Fault fault = this.current.get();
		if (fault == null || !fault.appliesTo(target, this.clock.instant())) {
			return false;
		}
		if (fault.delays()) {
			this.delayed.increment();
			try {
				Thread.sleep(fault.latency());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return true;
			}
		}
		boolean fail = fault.abort() || ThreadLocalRandom.current().nextDouble() < fault.errorRate();
		if (fail) {
			this.failed.increment();
		}
		return fail;
	}

	/**
	 * Applies the fault to one work-queue message, whose target is {@code queue:<name>}:
	 * delays it while its consumer holds it unacknowledged, and fails it (the consumer
	 * retries, then dead-letters it) when the fault says so.
	 * @throws IllegalStateException when the message must fail
	 */
	public void beforeQueueMessage(String queue) {
		if (applyTo("queue:" + queue)) {
			throw new IllegalStateException("fault injected into queue " + queue);
		}
	}

	/**
	 * Delays one event delivery of a consumer group ({@code target} is
	 * {@code events:<consumer group>}) by the fault's latency, as a slow consumer would
	 * take it, before the batch it belongs to is applied (outside its transaction). Only
	 * a fault whose route names events ({@code events:...}) does: a fault on a service's
	 * calls leaves its consumers' pace alone. Events are never failed here: a failing
	 * event holds its partition while it is retried, which is a fault of another kind.
	 */
	public void beforeEvent(String target) {
		Fault fault = this.current.get();
		if (fault == null || fault.route() == null || !fault.route().startsWith("events:")
				|| !fault.appliesTo(target, this.clock.instant()) || !fault.delays()) {
			return;
		}
		this.delayedDeliveries.increment();
		try {
			Thread.sleep(fault.latency());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The order in which a consumer hands the {@code size} records of one poll to its
	 * handlers, as indexes into the poll: {@code 0..size-1} without a fault; with one,
	 * some records twice (the copy a few places later) and some pairs swapped. Every
	 * record is handed over at least once. {@code target} is
	 * {@code events:<consumer group>}.
	 */
	public int[] deliveryOrder(String target, int size) {
		Fault fault = this.current.get();
		int[] order = new int[size];
		for (int i = 0; i < size; i++) {
			order[i] = i;
		}
		if (fault == null || !fault.appliesTo(target, this.clock.instant())
				|| (fault.duplicateRate() == 0 && fault.reorderRate() == 0)) {
			return order;
		}
		ThreadLocalRandom random = ThreadLocalRandom.current();
		List<Integer> arranged = new ArrayList<>(size + 4);
		for (int i = 0; i < size; i++) {
			arranged.add(i);
		}
		for (int i = 0; i + 1 < arranged.size(); i++) {
			if (random.nextDouble() < fault.reorderRate()) {
				Collections.swap(arranged, i, i + 1);
				this.reordered.increment();
				i++;
			}
		}
		for (int i = 0; i < size; i++) {
			if (random.nextDouble() < fault.duplicateRate()) {
				int at = arranged.indexOf(i) + 1 + random.nextInt(3);
				arranged.add(Math.min(at, arranged.size()), i);
				this.duplicated.increment();
			}
		}
		return arranged.stream().mapToInt(Integer::intValue).toArray();
	}

	Map<String, Object> describe() {
		Map<String, Object> view = new LinkedHashMap<>();
		Optional<Fault> fault = current();
		view.put("active", fault.isPresent());
		fault.ifPresent((f) -> {
			view.put("latencyMs", f.latency().toMillis());
			view.put("latencyRate", f.latencyRate());
			view.put("errorRate", f.errorRate());
			view.put("abort", f.abort());
			view.put("duplicateRate", f.duplicateRate());
			view.put("reorderRate", f.reorderRate());
			view.put("route", f.route());
			view.put("until", f.until().toString());
			view.put("remainingSeconds", Duration.between(this.clock.instant(), f.until()).toSeconds());
		});
		view.put("delayedCalls", this.delayed.sum());
		view.put("failedCalls", this.failed.sum());
		view.put("duplicatedDeliveries", this.duplicated.sum());
		view.put("reorderedDeliveries", this.reordered.sum());
		view.put("delayedDeliveries", this.delayedDeliveries.sum());
		return view;
	}

}
