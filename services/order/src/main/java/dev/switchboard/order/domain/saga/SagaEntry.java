package dev.switchboard.order.domain.saga;

import java.time.Instant;

/**
 * One line of a saga's history: every command sent, reply received, timeout and retry.
 *
 * @param step the step it concerns, {@code null} for the saga as a whole
 * @param detail a reason or participant reference; may be {@code null}
 */
public record SagaEntry(Instant at, StepName step, String event, String detail) {
}
