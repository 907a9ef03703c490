package dev.switchboard.payment.adapter.in.kafka;

import org.apache.kafka.clients.admin.NewTopic;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.payment.application.PaymentService;
import dev.switchboard.platform.messaging.EventSubscription;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

@Configuration(proxyBeanMethods = false)
class OrderEventsSubscription {

	@Bean
	EventSubscription payments(PaymentService payments) {
		return EventSubscription.named("charges")
			.topics(Topics.ORDER_EVENTS)
			.on(OrderCreated.getDefaultInstance(),
					(e, event) -> payments.charge(event.getOrderId(), event.getPaymentToken(), event.getTotalCents()))
			.on(OrderCancelled.getDefaultInstance(), (e, event) -> payments.refund(event.getOrderId()))
			.build();
	}

	/** This service is the only writer of payment events. */
	@Bean
	static NewTopic paymentEventsTopic() {
		return TopicBuilder.name(Topics.PAYMENT_EVENTS).partitions(6).build();
	}

}
