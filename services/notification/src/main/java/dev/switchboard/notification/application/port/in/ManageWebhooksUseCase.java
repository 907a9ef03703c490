package dev.switchboard.notification.application.port.in;

import java.net.URI;
import java.util.List;

import dev.switchboard.notification.domain.Webhook;

/** A customer's webhooks: registered, looked up for an event, deleted. */
public interface ManageWebhooksUseCase {

	/**
	 * @throws dev.switchboard.notification.domain.InvalidWebhookException when the URL or
	 * the events are not acceptable
	 */
	Webhook register(String customerId, URI url, List<String> events);

	/** Deletes the customer's webhook; {@code false} when they have none with this id. */
	boolean delete(String customerId, String webhookId);

	/** The customer's webhooks that want events of this type. */
	List<Webhook> subscribedTo(String customerId, String type);

}
