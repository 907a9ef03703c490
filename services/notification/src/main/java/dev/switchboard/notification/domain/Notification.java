package dev.switchboard.notification.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * An email sent about an order.
 *
 * @param sentAt when it was recorded as sent; {@code null} before it is stored
 */
public record Notification(String id, String orderId, String kind, String recipient, String subject, String body,
		Instant sentAt) {

	/**
	 * The notification an email job makes: its id is derived from the job's id, so a job
	 * taken twice makes the same notification (and the same Message-ID) twice.
	 */
	public static Notification forJob(String jobId, String orderId, String kind, String recipient, String subject,
			String body) {
		String id = UUID.nameUUIDFromBytes(jobId.getBytes(StandardCharsets.UTF_8)).toString();
		return new Notification(id, orderId, kind, recipient, subject, body, null);
	}

}
