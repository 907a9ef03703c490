package dev.switchboard.notification.domain;

/** A webhook that cannot be registered as asked; the message says why. */
public class InvalidWebhookException extends RuntimeException {

	public InvalidWebhookException(String message) {
		super(message);
	}

}
