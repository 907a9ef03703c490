package dev.switchboard.analytics.adapter.in.kafka;

import dev.switchboard.analytics.application.port.in.SummarizeOrdersUseCase;
import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.platform.messaging.EventSubscription;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OrderEventsSubscription {

	/** The subscription a rebuild replays. */
	static final String NAME = "summary";

	@Bean
	EventSubscription orderSummary(SummarizeOrdersUseCase summary) {
		return EventSubscription.named(NAME)
			.topics(Topics.ORDER_EVENTS)
			.on(OrderCreated.getDefaultInstance(), (e, o) -> summary.orderCreated())
			.on(OrderCompleted.getDefaultInstance(), (e, o) -> summary.orderCompleted(o.getTotalCents()))
			.on(OrderCancelled.getDefaultInstance(), (e, o) -> summary.orderCancelled())
			.build();
	}

}
