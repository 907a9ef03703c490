package dev.switchboard.order.domain.saga;

/** The order cannot be cancelled any more; the message says why. */
public class CancellationRefusedException extends RuntimeException {

	public CancellationRefusedException(String message) {
		super(message);
	}

}
