package dev.switchboard.contracts.events;

import java.util.Map;

/**
 * The Kafka topics of the platform, each declared once with its single writer. Records
 * are keyed by order id and carry a message from {@code events.proto} or
 * {@code saga.proto}; the CloudEvents {@code ce_type} header holds the message's protobuf
 * full name.
 */
public final class Topics {

	/**
	 * The partition count of every topic here. Whichever service starts first creates a
	 * topic with it, its writer or a reader: a reader that subscribed to a topic not yet
	 * created would otherwise see it only at its next metadata refresh.
	 */
	public static final int PARTITIONS = 6;

	/** Written by the order service: OrderCreated, OrderCompleted, OrderCancelled. */
	public static final String ORDER_EVENTS = "switchboard.order.events";

	/**
	 * Written by the order service: the OrderCreated and OrderCancelled of orders whose saga
	 * runs by choreography, also on {@link #ORDER_EVENTS}. The choreography's participants
	 * (payment, inventory, shipping) read this topic instead of every order event, so in
	 * orchestration, the default, they are not woken twice an order for events they skip.
	 */
	public static final String ORDER_CHOREOGRAPHY = "switchboard.order.choreography";

	/** Written by the payment service: PaymentApproved, PaymentDeclined, PaymentRefunded. */
	public static final String PAYMENT_EVENTS = "switchboard.payment.events";

	/** Written by the inventory service: StockAllocated, StockAllocationFailed, StockReleased. */
	public static final String INVENTORY_EVENTS = "switchboard.inventory.events";

	/** Written by the shipping service: ShipmentCreated, ShipmentRejected, ShipmentCancelled. */
	public static final String SHIPPING_EVENTS = "switchboard.shipping.events";

	/**
	 * Written by the order service's saga, read by inventory: AllocateStock,
	 * DeallocateStock, ReleaseStock.
	 */
	public static final String INVENTORY_COMMANDS = "switchboard.inventory.commands";

	/** Written by the order service's saga, read by shipping: ScheduleShipment, CancelShipment. */
	public static final String SHIPPING_COMMANDS = "switchboard.shipping.commands";

	/**
	 * Read by the order service's saga: the StepReply of every command. The one topic with
	 * several writers (each participant answers here, as a reply channel does); the order
	 * service creates it.
	 */
	public static final String SAGA_REPLIES = "switchboard.order.saga-replies";

	/** How long a topic of facts keeps its records: for ever, as they are what replays read. */
	private static final Map<String, String> KEPT = Map.of("retention.ms", "-1");

	/** How long a topic of commands and replies keeps its records: 7 days. */
	private static final Map<String, String> WEEK = Map.of("retention.ms", Long.toString(7L * 24 * 60 * 60 * 1000));

	/**
	 * The configuration a topic is created (and kept) with: the facts (order, payment,
	 * inventory and shipping events) are kept for ever, since the analytics rebuild and any
	 * new reader replay them from the start; commands, replies and the choreography's copy
	 * of order events are worth nothing once handled and are kept a week, long enough to
	 * look into and to replay after an incident. Other topics get the broker's defaults.
	 */
	public static Map<String, String> configOf(String topic) {
		return switch (topic) {
			case ORDER_EVENTS, PAYMENT_EVENTS, INVENTORY_EVENTS, SHIPPING_EVENTS -> KEPT;
			case ORDER_CHOREOGRAPHY, INVENTORY_COMMANDS, SHIPPING_COMMANDS, SAGA_REPLIES -> WEEK;
			default -> Map.of();
		};
	}

	/** A dead-letter topic keeps its records until someone deals with them. */
	public static Map<String, String> deadLetterConfig() {
		return KEPT;
	}

	private Topics() {
	}

}
