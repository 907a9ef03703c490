package dev.switchboard.notification.application;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.switchboard.notification.domain.Notification;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sends one email per email job over SMTP and records it in the same transaction as the
 * queue consumer's inbox entry. If sending fails the transaction rolls back and the job is
 * tried again. SMTP cannot join the transaction, so a message can go out twice after a
 * crash between the server's acceptance and the commit; both copies carry the same
 * Message-ID, which lets mail clients drop the duplicate.
 */
@Service
@Transactional
public class NotificationService {

	private final JdbcTemplate jdbc;

	private final JavaMailSender mail;

	private final String from;

	NotificationService(JdbcTemplate jdbc, JavaMailSender mail,
			@Value("${switchboard.notification.from}") String from) {
		this.jdbc = jdbc;
		this.mail = mail;
		this.from = from;
	}

	/**
	 * @param jobId the email job's id (its queue message id): one email per job
	 */
	public void send(String jobId, String orderId, String kind, String recipient, String subject, String body) {
		String id = UUID.nameUUIDFromBytes(jobId.getBytes()).toString();
		int inserted = this.jdbc.update("""
				INSERT INTO notifications (id, event_id, order_id, kind, recipient, subject, body)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""", id, jobId, orderId, kind,
				recipient, subject, body);
		if (inserted == 0) {
			return;
		}
		this.mail.send((mime) -> {
			mime.setFrom(this.from);
			mime.setRecipients(jakarta.mail.Message.RecipientType.TO, recipient);
			mime.setSubject(subject, "UTF-8");
			mime.setText(body, "UTF-8");
			mime.setHeader("X-Switchboard-Order", orderId);
			mime.setHeader("X-Switchboard-Kind", kind);
			mime.saveChanges();
			mime.setHeader("Message-ID", "<" + id + "@switchboard.test>");
		});
	}

	@Transactional(readOnly = true)
	public List<Notification> forOrder(String orderId) {
		return this.jdbc.query(
				"SELECT id, order_id, kind, recipient, subject, body, sent_at FROM notifications WHERE order_id = ? ORDER BY sent_at, kind",
				(rs, i) -> new Notification(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
						rs.getString(5), rs.getString(6), toInstant(rs.getTimestamp(7))),
				orderId);
	}

	private static Instant toInstant(Timestamp timestamp) {
		return timestamp.toInstant();
	}

}
