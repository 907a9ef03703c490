package dev.switchboard.contracts.events;

import java.util.List;
import java.util.Map;

import dev.switchboard.contracts.events.TopicSpec.Retention;

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
	 * Written by the order service: the OrderCreated and OrderCancelled of orders whose
	 * saga runs by choreography, also on {@link #ORDER_EVENTS}. The choreography's
	 * participants (payment, inventory, shipping) read this topic instead of every order
	 * event, so in orchestration, the default, they are not woken twice an order for
	 * events they skip.
	 */
	public static final String ORDER_CHOREOGRAPHY = "switchboard.order.choreography";

	/**
	 * Written by the payment service: PaymentApproved, PaymentDeclined, PaymentRefunded.
	 */
	public static final String PAYMENT_EVENTS = "switchboard.payment.events";

	/**
	 * Written by the inventory service: StockAllocated, StockAllocationFailed,
	 * StockReleased.
	 */
	public static final String INVENTORY_EVENTS = "switchboard.inventory.events";

	/**
	 * Written by the shipping service: ShipmentCreated, ShipmentRejected,
	 * ShipmentCancelled.
	 */
	public static final String SHIPPING_EVENTS = "switchboard.shipping.events";

	/**
	 * Written by the order service's saga, read by inventory: AllocateStock,
	 * DeallocateStock, ReleaseStock.
	 */
	public static final String INVENTORY_COMMANDS = "switchboard.inventory.commands";

	/**
	 * Written by the order service's saga, read by shipping: ScheduleShipment,
	 * CancelShipment.
	 */
	public static final String SHIPPING_COMMANDS = "switchboard.shipping.commands";

	/**
	 * Written by the order service's saga when its payment edge is a stream
	 * ({@code up --edge order-payment=stream}), read by payment: ChargePayment,
	 * RefundPayment, keyed by order id, so one order's commands are taken in the order
	 * decided (by one consumer of a group), where the work queue
	 * {@code switchboard.payment.commands} lets competing consumers take them in any
	 * order.
	 */
	public static final String PAYMENT_COMMAND_STREAM = "switchboard.payment.command-stream";

	/**
	 * Read by the order service's saga: the StepReply of every command. The one topic
	 * with several writers (each participant answers here, as a reply channel does); the
	 * order service creates it.
	 */
	public static final String SAGA_REPLIES = "switchboard.order.saga-replies";

	/**
	 * The notification service's webhook deliveries (DeliverWebhook), keyed by order id
	 * so that an order's deliveries go out in order; written and read by notification
	 * alone.
	 */
	public static final String NOTIFICATION_WEBHOOKS = "switchboard.notification.webhooks";

	/** Every topic above, with its writer and retention. */
	public static final List<TopicSpec> ALL = List.of(new TopicSpec(ORDER_EVENTS, "order", Retention.FOR_EVER),
			new TopicSpec(ORDER_CHOREOGRAPHY, "order", Retention.A_WEEK),
			new TopicSpec(PAYMENT_EVENTS, "payment", Retention.FOR_EVER),
			new TopicSpec(INVENTORY_EVENTS, "inventory", Retention.FOR_EVER),
			new TopicSpec(SHIPPING_EVENTS, "shipping", Retention.FOR_EVER),
			new TopicSpec(INVENTORY_COMMANDS, "order", Retention.A_WEEK),
			new TopicSpec(SHIPPING_COMMANDS, "order", Retention.A_WEEK),
			new TopicSpec(PAYMENT_COMMAND_STREAM, "order", Retention.A_WEEK),
			new TopicSpec(SAGA_REPLIES, "order", Retention.A_WEEK),
			new TopicSpec(NOTIFICATION_WEBHOOKS, "notification", Retention.A_WEEK));

	/**
	 * The configuration a topic is created (and kept) with ({@link TopicSpec#config()});
	 * topics not declared here get the broker's defaults.
	 */
	public static Map<String, String> configOf(String topic) {
		return ALL.stream().filter((t) -> t.name().equals(topic)).findFirst().map(TopicSpec::config).orElse(Map.of());
	}

	/** The topics {@code service} writes, which it creates when it starts. */
	public static List<TopicSpec> ownedBy(String service) {
		return ALL.stream().filter((t) -> t.owner().equals(service)).toList();
	}

	/** A dead-letter topic keeps its records until someone deals with them. */
	public static Map<String, String> deadLetterConfig() {
		return Map.of("retention.ms", "-1");
	}

	private Topics() {
	}

}
