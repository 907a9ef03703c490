package dev.switchboard.notification.adapter.in.kafka;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.notification.v1.DeliverWebhook;
import dev.switchboard.notification.application.port.in.DeliverWebhookUseCase;
import dev.switchboard.notification.application.port.in.ManageWebhooksUseCase;
import dev.switchboard.platform.messaging.EventEnvelope;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Webhooks in two steps. {@code webhooks} decides: for each order event, one
 * {@code DeliverWebhook} per webhook of the customer that wants it, written to the outbox
 * in the transaction that records the event as handled (so each is decided once).
 * {@code webhook-senders} sends them, keyed by order id, so one partition carries an
 * order's deliveries and sends them in order: a delivery the receiver does not take is
 * retried with backoff within the retry budget
 * ({@code switchboard.messaging.retry-budget}, 30 s) and then dead-lettered to
 * {@code switchboard.notification.webhooks.notification.webhook-senders.dlt}, where
 * {@code ./switchboard dlq} shows and replays it. A delivery's id is the same on every
 * attempt and replay: receivers drop repeats by {@code webhook-id}.
 */
@Configuration(proxyBeanMethods = false)
class WebhookSubscriptions {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Bean
	EventSubscription webhookDecisions(ManageWebhooksUseCase webhooks, Outbox outbox) {
		return EventSubscription.named("webhooks")
			.topics(Topics.ORDER_EVENTS)
			.on(OrderCreated.getDefaultInstance(),
					(e, o) -> fanOut(webhooks, outbox, e, o.getCustomerId(), o.getOrderId(), "order.created",
							data(o.getOrderId(), "PENDING", o.getTotalCents())))
			.on(OrderCompleted.getDefaultInstance(), (e, o) -> {
				Map<String, Object> data = data(o.getOrderId(), "COMPLETED", o.getTotalCents());
				data.put("shipmentId", o.getShipmentId());
				fanOut(webhooks, outbox, e, o.getCustomerId(), o.getOrderId(), "order.completed", data);
			})
			.on(OrderCancelled.getDefaultInstance(), (e, o) -> {
				Map<String, Object> data = data(o.getOrderId(), "CANCELLED", o.getTotalCents());
				data.put("reason", o.getReason());
				fanOut(webhooks, outbox, e, o.getCustomerId(), o.getOrderId(), "order.cancelled", data);
			})
			.build();
	}

	@Bean
	EventSubscription webhookSenders(DeliverWebhookUseCase deliveries) {
		return EventSubscription.named("webhook-senders")
			.topics(Topics.NOTIFICATION_WEBHOOKS)
			.on(DeliverWebhook.getDefaultInstance(),
					(e, d) -> deliveries.deliver(d.getDeliveryId(), d.getWebhookId(), d.getPayload()))
			.build();
	}

	private static void fanOut(ManageWebhooksUseCase webhooks, Outbox outbox, EventEnvelope event, String customerId,
			String orderId, String type, Map<String, Object> data) {
		webhooks.subscribedTo(customerId, type).forEach((webhook) -> {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("type", type);
			body.put("timestamp", event.time().toString());
			body.put("data", data);
			outbox.add(Topics.NOTIFICATION_WEBHOOKS, orderId,
					DeliverWebhook.newBuilder()
						.setDeliveryId(deliveryId(event.id(), webhook.id()))
						.setWebhookId(webhook.id())
						.setOrderId(orderId)
						.setType(type)
						.setPayload(JSON.writeValueAsString(body))
						.build());
		});
	}

	/** The same for an event and a webhook however often the event is handled. */
	static String deliveryId(String eventId, String webhookId) {
		return "msg_" + UUID.nameUUIDFromBytes((eventId + "/" + webhookId).getBytes(StandardCharsets.UTF_8));
	}

	private static Map<String, Object> data(String orderId, String status, long totalCents) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("orderId", orderId);
		data.put("status", status);
		data.put("total", Map.of("amount", BigDecimal.valueOf(totalCents, 2).toPlainString(), "currency", "USD"));
		return data;
	}

}
