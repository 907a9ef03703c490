package dev.switchboard.notification.application.port.out;

import java.util.List;
import java.util.Optional;

import dev.switchboard.notification.domain.Webhook;

/** Webhooks as stored. */
public interface WebhookRepository {

	void insert(Webhook webhook);

	/** Marks the customer's webhook deleted; {@code false} when there was none live. */
	boolean delete(String customerId, String webhookId);

	/** The webhook, unless it was deleted. */
	Optional<Webhook> findLive(String webhookId);

	/** The customer's live webhooks. */
	List<Webhook> findByCustomer(String customerId);

}
