package dev.switchboard.notification.adapter.in.queue;

import dev.switchboard.contracts.notification.v1.SendEmail;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.notification.application.port.in.SendEmailUseCase;
import dev.switchboard.platform.queue.QueueSubscription;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sends the emails of the email queue, transactional ones first, each once: the queue
 * message's id is the notification's idempotency key.
 */
@Configuration(proxyBeanMethods = false)
class EmailQueueSubscription {

	@Bean
	QueueSubscription emailSenders(SendEmailUseCase notifications) {
		return QueueSubscription.named("senders")
			.queue(Queues.NOTIFICATION_EMAILS)
			.on(SendEmail.getDefaultInstance(),
					(message, email) -> notifications.send(message.id(), email.getOrderId(), email.getKind(),
							email.getRecipient(), email.getSubject(), email.getBody()))
			.build();
	}

}
