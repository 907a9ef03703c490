package dev.switchboard.notification.adapter.in.web;

import java.util.List;

import dev.switchboard.notification.application.port.in.FindNotificationsUseCase;
import dev.switchboard.notification.domain.Notification;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What was sent: per order, and (internal, for operators and invariant checks) all of it.
 */
@RestController
class NotificationsController {

	private final FindNotificationsUseCase notifications;

	NotificationsController(FindNotificationsUseCase notifications) {
		this.notifications = notifications;
	}

	@GetMapping("/orders/{orderId}/notifications")
	List<Notification> forOrder(@PathVariable String orderId) {
		return this.notifications.forOrder(orderId);
	}

	/** Every notification, page by page in id order ({@code ?after=ID&limit=N}). */
	@GetMapping("/internal/notifications")
	List<Notification> all(@RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.notifications.list(after, limit);
	}

}
