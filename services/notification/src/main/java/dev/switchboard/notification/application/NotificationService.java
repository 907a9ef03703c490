package dev.switchboard.notification.application;

import java.util.List;

import dev.switchboard.notification.application.port.in.FindNotificationsUseCase;
import dev.switchboard.notification.application.port.in.SendEmailUseCase;
import dev.switchboard.notification.application.port.out.Mailer;
import dev.switchboard.notification.application.port.out.NotificationRepository;
import dev.switchboard.notification.domain.Notification;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sends one email per email job and records it in the same transaction as the queue
 * consumer's inbox entry. If sending fails the transaction rolls back and the job is
 * tried again. The mail server cannot join the transaction, so a message can go out twice
 * after a crash between the server's acceptance and the commit; both copies carry the
 * same Message-ID, which lets mail clients drop the duplicate.
 */
@Service
@Transactional
class NotificationService implements SendEmailUseCase, FindNotificationsUseCase {

	private final NotificationRepository notifications;

	private final Mailer mailer;

	NotificationService(NotificationRepository notifications, Mailer mailer) {
		this.notifications = notifications;
		this.mailer = mailer;
	}

	@Override
	public void send(String jobId, String orderId, String kind, String recipient, String subject, String body) {
		Notification notification = Notification.forJob(jobId, orderId, kind, recipient, subject, body);
		if (this.notifications.addIfAbsent(jobId, notification)) {
			this.mailer.send(notification);
		}
	}

	@Override
	@Transactional(readOnly = true)
	public List<Notification> forOrder(String orderId) {
		return this.notifications.findByOrder(orderId);
	}

	@Override
	public List<Notification> forOrders(List<String> orderIds) {
		return this.notifications.findByOrders(orderIds);
	}

	@Override
	@Transactional(readOnly = true)
	public List<Notification> list(String after, int limit) {
		return this.notifications.page(after, Math.clamp(limit, 1, 10_000));
	}

}
