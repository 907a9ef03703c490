package dev.switchboard.notification.domain;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A customer's webhook: the URL their order events of the given types are POSTed to, each
 * signed with the secret (Standard Webhooks: {@code whsec_} and 32 random bytes in
 * base64).
 */
public record Webhook(String id, String customerId, URI url, List<String> events, String secret) {

	/** The order events a webhook may ask for. */
	public static final Set<String> EVENTS = Set.of("order.created", "order.completed", "order.cancelled");

	private static final SecureRandom RANDOM = new SecureRandom();

	public Webhook {
		if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
				|| url.getHost() == null || url.toString().length() > 2000) {
			throw new InvalidWebhookException("url must be an absolute http or https URL of at most 2000 characters");
		}
		if (events.isEmpty() || !EVENTS.containsAll(events)) {
			throw new InvalidWebhookException("events must be one or more of " + EVENTS.stream().sorted().toList());
		}
		events = List.copyOf(events);
	}

	/** A new webhook with a fresh id and secret. */
	public static Webhook create(String customerId, URI url, List<String> events) {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return new Webhook("wh_" + UUID.randomUUID(), customerId, url, events.stream().distinct().toList(),
				"whsec_" + Base64.getEncoder().encodeToString(key));
	}

	/** Whether events of this type go to it. */
	public boolean wants(String type) {
		return this.events.contains(type);
	}

}
