package dev.switchboard.order.application.port.out;

import java.time.Duration;

import dev.switchboard.order.domain.OrderStatus;
import dev.switchboard.order.domain.saga.SagaMode;

/**
 * Where the end of each order's saga is told, for the platform's metrics: its mode, how
 * it ended and how long the order took from being placed. Called in the transaction that
 * ends the order; an implementation counts it once that transaction commits.
 */
public interface SagaOutcomes {

	void ended(SagaMode mode, OrderStatus outcome, Duration took);

}
