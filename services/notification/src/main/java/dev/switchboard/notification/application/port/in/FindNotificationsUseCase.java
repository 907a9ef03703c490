package dev.switchboard.notification.application.port.in;

import java.util.List;

import dev.switchboard.notification.domain.Notification;

/** What was sent. */
public interface FindNotificationsUseCase {

	/** The order's notifications, oldest first. */
	List<Notification> forOrder(String orderId);

	/** The notifications of these orders, in one read; each order's oldest first. */
	List<Notification> forOrders(List<String> orderIds);

	/**
	 * Up to {@code limit} (clamped to 1..10,000) notifications whose id sorts after
	 * {@code after}.
	 */
	List<Notification> list(String after, int limit);

}
