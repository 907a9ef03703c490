package dev.switchboard.contracts.queues;

import java.util.List;

/**
 * The platform's work queues, each declared once with its consumer (its owner) and its
 * limits. Messages carry a message from {@code saga.proto}; the CloudEvents
 * {@code ce_type} header holds its protobuf full name.
 */
public final class Queues {

	/**
	 * Read by the payment service's competing consumers, sent by the order service's
	 * saga: ChargePayment, RefundPayment. A queue does not keep one order's commands in
	 * order; payment needs no order because a refund that comes first voids the order and
	 * the late charge is refused.
	 */
	public static final QueueSpec PAYMENT_COMMANDS = QueueSpec.named("switchboard.payment.commands")
		.withMaxLength(10_000);

	/**
	 * Read and written by the notification service: SendEmail jobs it derives from order
	 * events, sent over SMTP by its competing consumers. Priority {@link #TRANSACTIONAL}
	 * (order received, shipped, cancelled) goes before {@link #MARKETING}.
	 */
	public static final QueueSpec NOTIFICATION_EMAILS = QueueSpec.named("switchboard.notification.emails")
		.withPriorities(2)
		.withMaxLength(10_000);

	/** Every work queue of the platform. */
	public static final List<QueueSpec> ALL = List.of(PAYMENT_COMMANDS, NOTIFICATION_EMAILS);

	/** Priority of emails a customer is waiting for. */
	public static final int TRANSACTIONAL = 1;

	/** Priority of emails nobody is waiting for. */
	public static final int MARKETING = 0;

	private Queues() {
	}

}
