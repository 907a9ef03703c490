package dev.switchboard.order.adapter.out.grpc;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
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
 * lets through. The answer, payment's {@link StepReply}, is handed over in-process (an
 * application event) to the driving adapter that takes replies, which feeds it to the
 * saga as one from the reply topic. A call that gets no answer (payment down, the breaker
 * open, a lost connection) is not remembered here: the saga's deadline times the charge
 * out and refunds it, and repeats an unconfirmed refund, as it does for a lost reply.
 */
@Component
@ConditionalOnProperty(name = "switchboard.transports.payment", havingValue = "grpc")
class GrpcPaymentCommands implements PaymentCommands, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(GrpcPaymentCommands.class);

	private final PaymentServiceGrpc.PaymentServiceBlockingStub stub;

	private final Edge edge;

	private final ApplicationEventPublisher replies;

	private final SimpleAsyncTaskExecutor calls;

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
		// Beyond the bulkhead's width a call would be refused: the thread that commits
		// waits for a free worker instead.
		this.calls.setConcurrencyLimit(this.edge.maxConcurrentCalls());
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
	 * @return the call's id, the saga step's trigger: payment does not know it, so an
	 * overdue step of this edge times out rather than waits for payment to take it (there
	 * is no queue for it to wait in)
	 */
	private String afterCommit(String orderId, String what, Function<Duration, StepReply> call) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("payment's " + what + " of order " + orderId
					+ " is decided in a transaction, and sent when it commits: none is active");
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				GrpcPaymentCommands.this.calls.execute(() -> send(orderId, what, call));
			}

		});
		return UUID.randomUUID().toString();
	}

	private void send(String orderId, String what, Function<Duration, StepReply> call) {
		StepReply reply;
		try {
			reply = this.edge.call(true, call);
		}
		catch (EdgeUnavailableException | StatusRuntimeException ex) {
			log.warn("Order {}: payment's {} got no answer ({}); the saga's deadline decides", orderId, what,
					ex.getMessage());
			return;
		}
		try {
			this.replies.publishEvent(reply);
		}
		catch (RuntimeException ex) {
			// The reply topic's consumer would retry it; here the deadline does.
			log.warn("Order {}: payment's answer to its {} could not be recorded; the saga's deadline decides", orderId,
					what, ex);
		}
	}

	@Override
	public void destroy() {
		this.calls.close();
	}

}
