package dev.switchboard.contracts.events;

/**
 * The Kafka topics of the platform, each declared once with its single writer. Records
 * are keyed by order id and carry a message from {@code events.proto}; the CloudEvents
 * {@code ce_type} header holds the message's protobuf full name.
 */
public final class Topics {

	/** Written by the order service: OrderCreated, OrderPaid, OrderCompleted, OrderCancelled. */
	public static final String ORDER_EVENTS = "switchboard.order.events";

	/** Written by the payment service: PaymentApproved, PaymentDeclined, PaymentRefunded. */
	public static final String PAYMENT_EVENTS = "switchboard.payment.events";

	/** Written by the shipping service: ShipmentCreated, ShipmentRejected. */
	public static final String SHIPPING_EVENTS = "switchboard.shipping.events";

	private Topics() {
	}

}
