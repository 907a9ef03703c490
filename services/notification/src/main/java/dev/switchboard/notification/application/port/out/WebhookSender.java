package dev.switchboard.notification.application.port.out;

import dev.switchboard.notification.domain.Webhook;

/** Sends a delivery to a webhook's receiver. */
public interface WebhookSender {

	/**
	 * POSTs the body with the Standard Webhooks headers, signed with the webhook's
	 * secret.
	 * @throws UndeliveredException unless the receiver answered 2xx
	 */
	void send(Webhook webhook, String deliveryId, String body);

	/**
	 * The receiver did not take the delivery (refused, failed, unreachable, too slow). It
	 * carries no cause on purpose: the consumer treats an unreachable broker or database
	 * as an outage to wait out, but an unreachable receiver is the receiver's problem, to
	 * be retried within the retry budget and then dead-lettered.
	 */
	class UndeliveredException extends RuntimeException {

		public UndeliveredException(String message) {
			super(message, null, false, false);
		}

	}

}
