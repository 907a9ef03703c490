package dev.switchboard.order.application;

import java.util.Objects;

import dev.switchboard.order.domain.saga.SagaMode;
import dev.switchboard.order.domain.saga.SagaTimeouts;

/**
 * How new orders' sagas run ({@code switchboard.saga.*}).
 */
public record SagaSettings(SagaMode mode, SagaTimeouts timeouts) {

	public SagaSettings {
		Objects.requireNonNull(mode);
		Objects.requireNonNull(timeouts);
	}

}
