package dev.switchboard.notification.application.port.in;

/** Sends one delivery to its webhook. */
public interface DeliverWebhookUseCase {

	/**
	 * POSTs {@code payload} to the webhook, signed; nothing when the webhook was deleted.
	 * @throws dev.switchboard.notification.application.port.out.WebhookSender.UndeliveredException
	 * when the receiver did not take it (to be retried, then dead-lettered)
	 */
	void deliver(String deliveryId, String webhookId, String payload);

}
