package dev.switchboard.order.adapter.out.grpc;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.payment.v1.PaymentServiceGrpc;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.ShippingAddress;
import dev.switchboard.platform.resilience.Edges;
import dev.switchboard.testing.StandIns;

import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The synchronous charge against a stand-in payment on a real socket: called once the
 * deciding transaction commits (never when it rolls back), the answer handed over as a
 * reply from the topic would be, a call without an answer made again later within the
 * edge's timeout, then left to the saga's deadline.
 */
class GrpcPaymentCommandsTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** The calls the stand-in took: "charge ORDER TOKEN AMOUNT", "refund ORDER". */
	private final Queue<String> calls = new ConcurrentLinkedQueue<>();

	/** The replies handed over to the saga. */
	private final Queue<String> reports = new ConcurrentLinkedQueue<>();

	/** The time each call had left (its deadline), in milliseconds, in calling order. */
	private final Queue<Long> deadlines = new ConcurrentLinkedQueue<>();

	/**
	 * Answers for order "unrecorded" handed over so far (the first cannot be recorded).
	 */
	private final AtomicInteger unrecorded = new AtomicInteger();

	/** Charges of tok_answersTheThirdTime taken so far. */
	private final AtomicInteger tries = new AtomicInteger();

	private final TransactionTemplate transactions = new TransactionTemplate(new Synchronizing());

	private Server payment;

	private GrpcPaymentCommands commands;

	@BeforeEach
	void start() throws IOException {
		this.payment = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(new PaymentServiceGrpc.PaymentServiceImplBase() {

				@Override
				public void charge(ChargePayment request, StreamObserver<StepReply> response) {
					GrpcPaymentCommandsTest.this.calls.add("charge " + request.getOrderId() + " "
							+ request.getPaymentToken() + " " + request.getAmountCents());
					GrpcPaymentCommandsTest.this.deadlines
						.add(Context.current().getDeadline().timeRemaining(TimeUnit.MILLISECONDS));
					switch (request.getPaymentToken()) {
						case "tok_noReply" -> response.onError(Status.UNAVAILABLE.asRuntimeException());
						case "tok_answersTheThirdTime" -> {
							if (GrpcPaymentCommandsTest.this.tries.incrementAndGet() < 3) {
								response.onError(Status.UNAVAILABLE.asRuntimeException());
							}
							else {
								answer(response, reply(request.getOrderId(), false, true).setReference("pay-3"));
							}
						}
						case "tok_chargeDeclined" ->
							answer(response, reply(request.getOrderId(), false, false).setReason("card declined"));
						default -> answer(response, reply(request.getOrderId(), false, true).setReference("pay-1"));
					}
				}

				@Override
				public void refund(RefundPayment request, StreamObserver<StepReply> response) {
					GrpcPaymentCommandsTest.this.calls.add("refund " + request.getOrderId());
					answer(response, reply(request.getOrderId(), true, true));
				}

			})
			.build()
			.start();
		int port = this.payment.getPort();
		GrpcChannelFactory channels = StandIns.channelsTo(port);
		Edges edges = StandIns.edgesCallingOnce("payment");
		this.commands = new GrpcPaymentCommands(channels, edges, (event) -> {
			StepReply reply = (StepReply) event;
			if (reply.getOrderId().equals("unrecorded") && this.unrecorded.getAndIncrement() == 0) {
				throw new IllegalStateException("no database connection");
			}
			this.reports.add(heard(reply));
		});
	}

	@AfterEach
	void stop() {
		this.commands.destroy();
		this.payment.shutdownNow();
	}

	@Test
	void chargesOnceTheDecisionCommitsAndTellsTheSagaTheAnswer() {
		String trigger = this.transactions.execute((status) -> this.commands.charge(order("o-1"), "tok_visa"));

		assertThat(trigger).as("the step's trigger: the call's own id").isNotBlank();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.reports).containsExactly("succeeded o-1 pay-1"));
		assertThat(this.calls).containsExactly("charge o-1 tok_visa 300");

		this.transactions.executeWithoutResult((status) -> this.commands.refund("o-1"));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.reports).containsExactly("succeeded o-1 pay-1", "compensated o-1"));
	}

	@Test
	void aDeclineIsAFailedStepWithItsReason() {
		this.transactions.executeWithoutResult((status) -> this.commands.charge(order("o-2"), "tok_chargeDeclined"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.reports).containsExactly("failed o-2 card declined"));
	}

	@Test
	void nothingIsCalledForADecisionThatRolledBack() {
		this.transactions.executeWithoutResult((status) -> {
			this.commands.charge(order("rolled-back"), "tok_visa");
			status.setRollbackOnly();
		});
		this.transactions.executeWithoutResult((status) -> this.commands.charge(order("o-3"), "tok_visa"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.reports).contains("succeeded o-3 pay-1"));
		assertThat(this.calls).containsExactly("charge o-3 tok_visa 300");
		assertThat(this.reports).containsExactly("succeeded o-3 pay-1");
	}

	@Test
	void aCallWithoutAnAnswerIsMadeAgainLaterAndItsAnswerTold() {
		// The edge here tries once per call: each failure below is a whole call's.
		this.transactions
			.executeWithoutResult((status) -> this.commands.charge(order("o-5"), "tok_answersTheThirdTime"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.reports).containsExactly("succeeded o-5 pay-3"));
		assertThat(this.calls).containsExactly("charge o-5 tok_answersTheThirdTime 300",
				"charge o-5 tok_answersTheThirdTime 300", "charge o-5 tok_answersTheThirdTime 300");
	}

	@Test
	void anAnswerThatCouldNotBeRecordedIsAskedForAgain() {
		this.transactions.executeWithoutResult((status) -> this.commands.charge(order("unrecorded"), "tok_visa"));

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.reports).containsExactly("succeeded unrecorded pay-1"));
		assertThat(this.calls).containsExactly("charge unrecorded tok_visa 300", "charge unrecorded tok_visa 300");
	}

	@Test
	void aCallStillWithoutAnAnswerWhenTheEdgesTimeoutEndsIsLeftToTheSaga() {
		long committed = System.nanoTime();
		this.transactions.executeWithoutResult((status) -> this.commands.charge(order("lost"), "tok_noReply"));

		// The edge's timeout here is 2 s: tried a few times within them, each try with
		// only what is left of them, then never again, and the saga hears nothing (its
		// deadline decides).
		await().atMost(WAIT).until(() -> this.calls.size() >= 3);
		await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> System.nanoTime() - committed > 2_000_000_000L);
		int made = this.calls.size();
		await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> this.calls.size() == made);
		assertThat(this.calls).hasSizeBetween(3, 5).containsOnly("charge lost tok_noReply 300");
		assertThat(this.deadlines).first().satisfies((left) -> assertThat(left).isBetween(1500L, 2000L));
		assertThat(this.deadlines.stream().skip(1).toList()).allSatisfy((left) -> assertThat(left).isLessThan(1900L));
		assertThat(this.reports).isEmpty();
	}

	@Test
	void thePausesBetweenTriesGrowAndStayBounded() {
		for (int i = 0; i < 100; i++) {
			assertThat(GrpcPaymentCommands.pauseAfter(1)).isBetween(Duration.ofMillis(125), Duration.ofMillis(250));
			assertThat(GrpcPaymentCommands.pauseAfter(3)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
			assertThat(GrpcPaymentCommands.pauseAfter(40)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
		}
	}

	@Test
	void aCommandOutsideATransactionIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> this.commands.charge(order("o-4"), "tok_visa"))
			.withMessageContaining("in a transaction");
		assertThat(this.calls).isEmpty();
	}

	private static Order order(String id) {
		return Order.placed(id, "c-1", List.of(new OrderLine("SKU-0001", 2, 150)),
				new ShippingAddress("US", "Austin", "1 Main St", "78701"), Instant.EPOCH);
	}

	private static StepReply.Builder reply(String orderId, boolean compensation, boolean succeeded) {
		return StepReply.newBuilder()
			.setOrderId(orderId)
			.setStep(SagaStep.CHARGE)
			.setCompensation(compensation)
			.setSucceeded(succeeded);
	}

	private static void answer(StreamObserver<StepReply> response, StepReply.Builder reply) {
		response.onNext(reply.build());
		response.onCompleted();
	}

	/** The reply as the saga would take it. */
	private static String heard(StepReply reply) {
		if (reply.getCompensation()) {
			return "compensated " + reply.getOrderId();
		}
		return reply.getSucceeded() ? "succeeded " + reply.getOrderId() + " " + reply.getReference()
				: "failed " + reply.getOrderId() + " " + reply.getReason();
	}

	/** A transaction manager with nothing to commit: it runs the synchronizations. */
	private static final class Synchronizing extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

}
