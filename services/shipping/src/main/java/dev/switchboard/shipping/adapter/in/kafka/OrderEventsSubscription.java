package dev.switchboard.shipping.adapter.in.kafka;

import org.apache.kafka.clients.admin.NewTopic;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderPaid;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.shipping.application.ShippingService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

@Configuration(proxyBeanMethods = false)
class OrderEventsSubscription {

	@Bean
	EventSubscription shipments(ShippingService shipping) {
		return EventSubscription.named("shipments")
			.topics(Topics.ORDER_EVENTS)
			.on(OrderPaid.getDefaultInstance(), (e, event) -> shipping.ship(event))
			.build();
	}

	/** This service is the only writer of shipping events. */
	@Bean
	static NewTopic shippingEventsTopic() {
		return TopicBuilder.name(Topics.SHIPPING_EVENTS).partitions(6).build();
	}

}
