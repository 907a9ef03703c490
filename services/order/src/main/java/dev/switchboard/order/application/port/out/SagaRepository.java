package dev.switchboard.order.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.switchboard.order.domain.saga.Saga;
import dev.switchboard.order.domain.saga.SagaEntry;
import dev.switchboard.order.domain.saga.SagaRecord;
import dev.switchboard.order.domain.saga.SagaTimeouts;

/**
 * Sagas as stored, in the caller's transaction.
 */
public interface SagaRepository {

	void insert(Saga saga, String paymentToken, Instant now);

	/** Loads a saga and locks it until the transaction ends. */
	Optional<Saga> lock(String orderId, SagaTimeouts timeouts);

	/**
	 * Loads and locks a saga unless another transaction holds it (a concurrent timeout
	 * scan), in which case it is skipped this time.
	 */
	Optional<Saga> lockIfFree(String orderId, SagaTimeouts timeouts);

	/** Loads a saga without locking it, to look at. */
	Optional<Saga> peek(String orderId, SagaTimeouts timeouts);

	/** Stores the saga's status, steps and deadline, and appends its new history. */
	void update(Saga saga, Instant now);

	/** Orders whose saga has a deadline at or before {@code now}, earliest first. */
	List<String> overdue(Instant now, int limit);

	/** Sagas still in progress (running or compensating), in any mode. */
	int countActive();

	/** The earliest deadline of any saga, if one waits for anything. */
	Optional<Instant> earliestDeadline();

	String paymentToken(String orderId);

	Optional<SagaRecord> find(String orderId, SagaTimeouts timeouts);

}
