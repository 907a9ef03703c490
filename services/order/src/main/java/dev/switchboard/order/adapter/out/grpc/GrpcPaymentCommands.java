package dev.switchboard.order.adapter.out.grpc;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.micrometer.context.ContextSnapshotFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.payment.v1.PaymentServiceGrpc;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.order.application.port.out.PaymentCommands;
import dev.switchboard.order.domain.Order;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.EdgeUnavailableException;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Payment's charge and refund as synchronous gRPC calls
 * ({@code switchboard.transports.payment=grpc}, channel {@code payment}) through the edge
 * {@code payment}: deadline ({@code switchboard.edges.payment.timeout}, by default the
 * saga's charge timeout), bulkhead, breaker, and retries, safe because payment keys both
 * calls by the order id.
 *
 * <p>
 * A call is made once the transaction that decided it commits, never inside it (no
 * database transaction waits on the network, and no call is made for a decision that
 * rolled back), on a virtual thread of its own, as many at once as the edge's bulkhead
 * lets through; the others wait their turn on their own threads. The committing thread
 * never waits: Spring runs {@code afterCommit} before it gives the transaction's
 * connection back, so a committer waiting for a call's turn would hold a connection that
 * the calls in flight need to record their answers (measured: with payment slow, the
 * order service's pool ran dry and orders were refused at creation). The answer,
 * payment's {@link StepReply}, is handed over in-process (an application event) to the
 * driving adapter that takes replies, which feeds it to the saga as one from the reply
 * topic; a call's turn ends before that, so no turn is held waiting for a connection.
 *
 * <p>
 * A call that gets no answer (payment down, the breaker open, the edge's retries spent)
 * is made again later, after a growing pause, for as long as the edge's timeout from its
 * first try (by default the saga's charge timeout, after which the saga would time the
 * step out anyway): a payment that is briefly overloaded or failing delays the charge
 * instead of losing the order. Each later try's deadline ends with that time. Payment
 * keys both calls by the order id, so a charge made again is charged once, and a charge
 * arriving after the saga's refund is refused. An answer that cannot be recorded (the
 * order service's database out of reach) is asked for again the same way. What is still
 * unanswered then, or when the order service stops, is left to the saga: its deadline
 * times the charge out and refunds it, and repeats an unconfirmed refund, as it does for
 * a lost reply.
 */
@Component
@ConditionalOnProperty(name = "switchboard.transports.payment", havingValue = "grpc")
class GrpcPaymentCommands implements PaymentCommands, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(GrpcPaymentCommands.class);

	private static final Duration FIRST_PAUSE = Duration.ofMillis(250);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

	/** A call is not made again with less time than this left for it. */
	private static final Duration LEAST_TIME_LEFT = Duration.ofMillis(500);

	private final PaymentServiceGrpc.PaymentServiceBlockingStub stub;

	private final Edge edge;

	private final ApplicationEventPublisher replies;

	private final SimpleAsyncTaskExecutor calls;

	/**
	 * Turns to call, as many as the edge's bulkhead lets through, first come first
	 * served.
	 */
	private final Semaphore turns;

	/** Where calls without an answer wait for their next try. */
	private final ScheduledExecutorService later;

	GrpcPaymentCommands(GrpcChannelFactory channels, Edges edges, ApplicationEventPublisher replies) {
		PaymentServiceGrpc.getServiceDescriptor();
		ManagedChannel channel = channels.createChannel("payment");
		this.stub = PaymentServiceGrpc.newBlockingStub(channel);
		this.edge = edges.edge("payment").reconnectWith(channel::resetConnectBackoff);
		this.replies = replies;
		this.calls = new SimpleAsyncTaskExecutor("payment-call-");
		this.calls.setVirtualThreads(true);
		// The call belongs to the trace of what decided it (the request, the reply).
		this.calls.setTaskDecorator(new ContextPropagatingTaskDecorator());
		// Beyond the bulkhead's width a call would be refused: a call's thread waits for
		// its turn instead.
		this.turns = new Semaphore(this.edge.maxConcurrentCalls(), true);
		this.later = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("payment-call-later").daemon(true).factory());
	}

	@Override
	public String charge(Order order, String paymentToken) {
		ChargePayment command = ChargePayment.newBuilder()
			.setOrderId(order.id())
			.setAmountCents(order.totalCents())
			.setPaymentToken(paymentToken)
			.build();
		return afterCommit(order.id(), "charge", (deadline) -> this.stub.withDeadlineAfter(deadline).charge(command));
	}

	@Override
	public String refund(String orderId) {
		RefundPayment command = RefundPayment.newBuilder().setOrderId(orderId).build();
		return afterCommit(orderId, "refund", (deadline) -> this.stub.withDeadlineAfter(deadline).refund(command));
	}

	/**
	 * Makes the call once the current transaction commits.
	 * @return the call's id, the saga step's trigger, marked as a call's
	 * ({@link #CALL_TRIGGER_PREFIX}): payment does not know it, so an overdue step of
	 * this edge times out rather than waits for payment to take it (there is no queue for
	 * it to wait in)
	 */
	private String afterCommit(String orderId, String what, Function<Duration, StepReply> call) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("payment's " + what + " of order " + orderId
					+ " is decided in a transaction, and sent when it commits: none is active");
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				long until = System.nanoTime() + GrpcPaymentCommands.this.edge.timeout().toNanos();
				GrpcPaymentCommands.this.calls.execute(() -> send(orderId, what, call, until, 1));
			}

		});
		return CALL_TRIGGER_PREFIX + UUID.randomUUID();
	}

	/**
	 * Makes the call (its {@code tries}th time), and again later if it gets no answer and
	 * there is time left before {@code until} ({@link System#nanoTime()}).
	 */
	private void send(String orderId, String what, Function<Duration, StepReply> call, long until, int tries) {
		StepReply reply;
		// The call's deadline, the edge's retries included, ends with the time it has.
		Context.CancellableContext bounded = Context.current()
			.withDeadline(Deadline.after(until - System.nanoTime(), TimeUnit.NANOSECONDS), this.later);
		try {
			if (!this.turns.tryAcquire(until - System.nanoTime(), TimeUnit.NANOSECONDS)) {
				log.warn("Order {}: payment's {} found no free turn to call before its time ran out; "
						+ "the saga's deadline decides", orderId, what);
				return;
			}
			try {
				reply = bounded.call(() -> this.edge.call(true, call));
			}
			finally {
				this.turns.release();
			}
		}
		catch (EdgeUnavailableException | StatusRuntimeException ex) {
			again(orderId, what, call, until, tries, "got no answer (" + ex.getMessage() + ")");
			return;
		}
		catch (InterruptedException ex) {
			// Stopping: the saga's deadline decides.
			Thread.currentThread().interrupt();
			return;
		}
		catch (Exception ex) {
			// Context.call declares it; the edge throws only runtime exceptions.
			throw new IllegalStateException(ex);
		}
		finally {
			bounded.cancel(null);
		}
		try {
			this.replies.publishEvent(reply);
		}
		catch (RuntimeException ex) {
			// As the reply topic's consumer would take a reply again: payment answers a
			// repeated call with the same answer.
			log.warn("Order {}: payment's answer to its {} could not be recorded", orderId, what, ex);
			again(orderId, what, call, until, tries, "had its answer not recorded (" + ex.getMessage() + ")");
		}
	}

	private void again(String orderId, String what, Function<Duration, StepReply> call, long until, int tries,
			String failure) {
		Duration pause = pauseAfter(tries);
		if (until - System.nanoTime() - pause.toNanos() < LEAST_TIME_LEFT.toNanos()) {
			log.warn("Order {}: payment's {} {} after {} tries; the saga's deadline decides", orderId, what, failure,
					tries);
			return;
		}
		log.info("Order {}: payment's {} {}; trying again in {} ms", orderId, what, failure, pause.toMillis());
		// In the trace of what decided the call, not of this executor's thread.
		Runnable next = ContextSnapshotFactory.builder()
			.build()
			.captureAll()
			.wrap(() -> send(orderId, what, call, until, tries + 1));
		try {
			this.later.schedule(() -> this.calls.execute(next), pause.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Stopping: the saga's deadline decides.
		}
	}

	/**
	 * The pause before a call's next try: a quarter of a second after the first,
	 * doubling, at most two seconds, each between half and all of that ("equal jitter"),
	 * so that the calls a failure turned away do not all come back at once.
	 */
	static Duration pauseAfter(int tries) {
		long cap = Math.min(FIRST_PAUSE.toMillis() << Math.min(tries - 1, 10), LONGEST_PAUSE.toMillis());
		return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
	}

	@Override
	public void destroy() {
		this.later.shutdownNow();
		this.calls.close();
	}

}
