package dev.switchboard.order.application.port.in;

/**
 * Moves orders along as payment and shipping report back. Each outcome applies only to an
 * order in the status it follows; anything else (a duplicate, a late report) changes
 * nothing.
 */
public interface TrackOrderProgressUseCase {

	void paymentApproved(String orderId, String paymentId);

	void paymentDeclined(String orderId, String reason);

	void shipmentCreated(String orderId, String shipmentId);

	void shipmentRejected(String orderId, String reason);

}
