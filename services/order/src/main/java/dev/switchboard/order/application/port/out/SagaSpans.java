package dev.switchboard.order.application.port.out;

import dev.switchboard.order.domain.saga.SagaMode;
import dev.switchboard.order.domain.saga.SagaStep;

/**
 * Where each saga step and each compensation is recorded as a span of the order's trace,
 * from its start to its end, once it has ended. Called in the transaction that ended it;
 * an implementation records it once that transaction commits.
 */
public interface SagaSpans {

	/**
	 * A step's run ended (succeeded, failed, timed out), or, for a step now
	 * {@code COMPENSATED}, its compensation did.
	 */
	void ended(String orderId, SagaMode mode, SagaStep step);

}
