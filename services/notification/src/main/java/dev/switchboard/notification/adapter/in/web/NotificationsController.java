package dev.switchboard.notification.adapter.in.web;

import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.HttpStatus;
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

	private static final int MAX_ORDERS = 100;

	private final FindNotificationsUseCase notifications;

	NotificationsController(FindNotificationsUseCase notifications) {
		this.notifications = notifications;
	}

	@GetMapping("/orders/{orderId}/notifications")
	List<Notification> forOrder(@PathVariable String orderId) {
		return this.notifications.forOrder(orderId);
	}

	/**
	 * The notifications of these orders ({@code ?orderId=A&orderId=B}, at most 100): for
	 * the gateway's GraphQL, one call for every order of a query.
	 */
	@GetMapping(path = "/notifications", params = "orderId")
	List<Notification> forOrders(@RequestParam List<String> orderId) {
		if (orderId.size() > MAX_ORDERS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"at most " + MAX_ORDERS + " orders at once, were " + orderId.size());
		}
		return this.notifications.forOrders(orderId);
	}

	/** Every notification, page by page in id order ({@code ?after=ID&limit=N}). */
	@GetMapping("/internal/notifications")
	List<Notification> all(@RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.notifications.list(after, limit);
	}

}
