package dev.switchboard.order.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.PaymentApproved;
import dev.switchboard.contracts.events.v1.PaymentDeclined;
import dev.switchboard.contracts.events.v1.ShipmentCreated;
import dev.switchboard.contracts.events.v1.ShipmentRejected;
import dev.switchboard.order.application.port.in.TrackOrderProgressUseCase;
import dev.switchboard.platform.messaging.EventSubscription;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProgressSubscription {

	@Bean
	EventSubscription orderProgress(TrackOrderProgressUseCase progress) {
		return EventSubscription.named("progress")
			.topics(Topics.PAYMENT_EVENTS, Topics.SHIPPING_EVENTS)
			.on(PaymentApproved.getDefaultInstance(), (e, event) -> progress.paymentApproved(event.getOrderId(), event.getPaymentId()))
			.on(PaymentDeclined.getDefaultInstance(), (e, event) -> progress.paymentDeclined(event.getOrderId(), event.getReason()))
			.on(ShipmentCreated.getDefaultInstance(), (e, event) -> progress.shipmentCreated(event.getOrderId(), event.getShipmentId()))
			.on(ShipmentRejected.getDefaultInstance(), (e, event) -> progress.shipmentRejected(event.getOrderId(), event.getReason()))
			.build();
	}

}
