package dev.switchboard.notification.domain;

import java.time.Instant;

/**
 * An email sent about an order.
 */
public record Notification(String id, String orderId, String kind, String recipient, String subject, String body,
		Instant sentAt) {
}
