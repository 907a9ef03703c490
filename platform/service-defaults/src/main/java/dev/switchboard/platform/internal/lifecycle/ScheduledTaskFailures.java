package dev.switchboard.platform.internal.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.platform.messaging.InfrastructureFailures;

import org.springframework.util.ErrorHandler;

/**
 * What a failed run of a scheduled task (a saga timer, a sweep, a retention pass) logs. A
 * run that failed for want of the database or a broker is tried again at the next tick,
 * and an outage makes every tick fail: one warning line each, not a stack trace, so the
 * log stays readable through it. Anything else is a bug and is logged whole.
 */
final class ScheduledTaskFailures implements ErrorHandler {

	private static final Logger log = LoggerFactory.getLogger(ScheduledTaskFailures.class);

	@Override
	public void handleError(Throwable failure) {
		if (InfrastructureFailures.isInfrastructure(failure)) {
			log.warn("A scheduled task failed for want of infrastructure; it runs again at its next tick: {}",
					rootCause(failure).toString());
		}
		else {
			log.error("A scheduled task failed", failure);
		}
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
