package dev.switchboard.notification.application.port.out;

import dev.switchboard.notification.domain.Notification;

/** The mail server: it takes a notification's email or throws. */
public interface Mailer {

	void send(Notification notification);

}
