package dev.switchboard.order.adapter.in.kafka;

import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.order.application.port.in.TrackSagaUseCase;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The replies of a participant called synchronously (payment, when its edge is gRPC),
 * handed over in-process by the adapter that made the call: taken in a transaction of
 * their own, exactly as those from the reply topic are.
 */
@Component
class CallReplies {

	private final TrackSagaUseCase sagas;

	private final TransactionOperations transactions;

	CallReplies(TrackSagaUseCase sagas, TransactionOperations transactions) {
		this.sagas = SagaSubscriptions.knownOrdersOnly(sagas);
		this.transactions = transactions;
	}

	@EventListener
	void onReply(StepReply reply) {
		this.transactions.executeWithoutResult((status) -> SagaSubscriptions.onReply(this.sagas, reply, null));
	}

}
