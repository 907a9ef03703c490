package dev.switchboard.notification.adapter.in.web;

import java.util.List;

import dev.switchboard.notification.application.NotificationService;
import dev.switchboard.notification.domain.Notification;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class NotificationsController {

	private final NotificationService notifications;

	NotificationsController(NotificationService notifications) {
		this.notifications = notifications;
	}

	@GetMapping("/orders/{orderId}/notifications")
	List<Notification> forOrder(@PathVariable String orderId) {
		return this.notifications.forOrder(orderId);
	}

}
