package dev.switchboard.order.adapter.in.grpc;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.order.v1.OrderStatus;
import dev.switchboard.contracts.order.v1.OrderUpdate;
import dev.switchboard.order.application.port.in.FollowOrdersUseCase;
import dev.switchboard.order.domain.OrderStatusChange;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The open {@code StreamOrderUpdates} calls. Each call reads the changes after its cursor
 * a page at a time, and only while its transport can take more ({@code isReady}; it
 * resumes on ready), so a slow client costs the service one page. New changes are noticed
 * by one look at the latest change every {@link #TICK} for all calls together; a call
 * reads again only when there is something new since it last read.
 */
@Component
class OrderUpdateStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OrderUpdateStreams.class);

	static final Duration TICK = Duration.ofMillis(200);

	private static final int PAGE = 100;

	private final FollowOrdersUseCase follow;

	private final Set<Stream> open = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService ticks = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("order-updates").daemon().factory());

	private final ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor();

	private volatile boolean running;

	OrderUpdateStreams(FollowOrdersUseCase follow) {
		this.follow = follow;
	}

	/**
	 * Follows {@code customerId}'s order {@code orderId} (or all) from after
	 * {@code afterSeq}.
	 */
	void open(String customerId, Optional<String> orderId, long afterSeq,
			ServerCallStreamObserver<OrderUpdate> responses) {
		Stream stream = new Stream(customerId, orderId, afterSeq, responses);
		responses.setOnReadyHandler(stream::pump);
		responses.setOnCancelHandler(() -> this.open.remove(stream));
		this.open.add(stream);
		stream.pump();
	}

	private void tick() {
		if (this.open.isEmpty()) {
			return;
		}
		try {
			long latest = this.follow.latest();
			for (Stream stream : this.open) {
				if (latest > stream.seen) {
					stream.seen = latest;
					stream.pump();
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Looking for new order updates failed; trying again in {}", TICK, ex);
		}
	}

	/** One call: its cursor, and whether a pump is running or wanted. */
	private final class Stream {

		private final String customerId;

		private final Optional<String> orderId;

		private final ServerCallStreamObserver<OrderUpdate> responses;

		private final AtomicBoolean pumping = new AtomicBoolean();

		private final AtomicBoolean wanted = new AtomicBoolean();

		private volatile long cursor;

		/** The latest change known when this call last read. */
		private volatile long seen;

		private boolean ended;

		Stream(String customerId, Optional<String> orderId, long afterSeq,
				ServerCallStreamObserver<OrderUpdate> responses) {
			this.customerId = customerId;
			this.orderId = orderId;
			this.cursor = afterSeq;
			this.responses = responses;
		}

		/**
		 * Reads and sends what the transport takes, on a virtual thread, one at a time.
		 */
		void pump() {
			this.wanted.set(true);
			if (this.pumping.compareAndSet(false, true)) {
				OrderUpdateStreams.this.pumps.execute(this::drain);
			}
		}

		private void drain() {
			do {
				this.wanted.set(false);
				try {
					send();
				}
				catch (RuntimeException ex) {
					log.warn("Reading order updates for a stream failed; ending it (the caller resumes)", ex);
					end(Status.UNAVAILABLE
						.withDescription("order updates cannot be read now; resume from the " + "last seq received"));
				}
				this.pumping.set(false);
			}
			while (this.wanted.get() && this.pumping.compareAndSet(false, true));
		}

		private void send() {
			while (!this.ended && !this.responses.isCancelled() && this.responses.isReady()) {
				List<OrderStatusChange> page = OrderUpdateStreams.this.follow.changes(this.customerId, this.orderId,
						this.cursor, PAGE);
				if (page.isEmpty()) {
					return;
				}
				for (OrderStatusChange change : page) {
					this.responses.onNext(OrderUpdate.newBuilder()
						.setSeq(change.seq())
						.setOrderId(change.orderId())
						.setStatus(OrderStatus.valueOf(change.status().name()))
						.setReason((change.reason() != null) ? change.reason() : "")
						.setAt(change.at().toString())
						.build());
					this.cursor = change.seq();
					if (this.orderId.isPresent() && change.finalStatus()) {
						end(null);
						return;
					}
				}
			}
		}

		private void end(Status failure) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			OrderUpdateStreams.this.open.remove(this);
			if (this.responses.isCancelled()) {
				return;
			}
			if (failure == null) {
				this.responses.onCompleted();
			}
			else {
				this.responses.onError(failure.asRuntimeException());
			}
		}

	}

	@Override
	public void start() {
		this.running = true;
		this.ticks.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.running = false;
		this.ticks.shutdownNow();
		this.pumps.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
