package dev.switchboard.notification.adapter.out.smtp;

import jakarta.mail.Message;

import dev.switchboard.notification.application.port.out.Mailer;
import dev.switchboard.notification.domain.Notification;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Sends a notification as a UTF-8 text email whose Message-ID is the notification's id,
 * so a copy sent again after a crash is recognisably the same message.
 */
@Component
class SmtpMailer implements Mailer {

	private final JavaMailSender mail;

	private final String from;

	SmtpMailer(JavaMailSender mail, @Value("${switchboard.notification.from}") String from) {
		this.mail = mail;
		this.from = from;
	}

	@Override
	public void send(Notification n) {
		this.mail.send((mime) -> {
			mime.setFrom(this.from);
			mime.setRecipients(Message.RecipientType.TO, n.recipient());
			mime.setSubject(n.subject(), "UTF-8");
			mime.setText(n.body(), "UTF-8");
			mime.setHeader("X-Switchboard-Order", n.orderId());
			mime.setHeader("X-Switchboard-Kind", n.kind());
			mime.saveChanges();
			mime.setHeader("Message-ID", "<" + n.id() + "@switchboard.test>");
		});
	}

}
