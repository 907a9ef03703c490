package dev.switchboard.inventory.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase;
import dev.switchboard.platform.messaging.EventSubscription;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A completed order's reservation leaves with its shipment; a cancelled order's goes back
 * on the shelf.
 */
@Configuration(proxyBeanMethods = false)
class OrderEventsSubscription {

	@Bean
	EventSubscription orderOutcomes(SettleReservationUseCase settle) {
		return EventSubscription.named("order-outcomes")
			.topics(Topics.ORDER_EVENTS)
			.on(OrderCompleted.getDefaultInstance(), (envelope, event) -> settle.allocate(event.getOrderId()))
			.on(OrderCancelled.getDefaultInstance(), (envelope, event) -> settle.release(event.getOrderId()))
			.build();
	}

}
