package dev.switchboard.notification.application.port.out;

import java.util.Collection;
import java.util.List;

import dev.switchboard.notification.domain.Notification;

/** Where sent notifications are recorded; the job's id keeps each one to one record. */
public interface NotificationRepository {

	/**
	 * Records the notification for the job unless the job has one; {@code true} when
	 * recorded.
	 */
	boolean addIfAbsent(String jobId, Notification notification);

	List<Notification> findByOrder(String orderId);

	/** The notifications of these orders, each order's oldest first. */
	List<Notification> findByOrders(Collection<String> orderIds);

	List<Notification> page(String afterId, int limit);

}
