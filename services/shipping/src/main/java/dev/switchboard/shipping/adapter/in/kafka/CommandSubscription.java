package dev.switchboard.shipping.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.saga.v1.CancelShipment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.ScheduleShipment;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.outbox.Outbox;
import dev.switchboard.shipping.application.ShippingService;
import dev.switchboard.shipping.application.ShippingService.Shipment;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shipping's part in an orchestrated saga: the commands on
 * {@link Topics#SHIPPING_COMMANDS}, each answered on {@link Topics#SAGA_REPLIES}.
 */
@Configuration(proxyBeanMethods = false)
class CommandSubscription {

	@Bean
	EventSubscription shippingCommands(ShippingService shipping, Outbox outbox) {
		return EventSubscription.named("commands")
			.topics(Topics.SHIPPING_COMMANDS)
			.on(ScheduleShipment.getDefaultInstance(), (e, command) -> {
				Shipment shipment = shipping.ship(command.getOrderId(), command.getShippingAddress().getCountry());
				outbox.add(Topics.SAGA_REPLIES, command.getOrderId(), StepReply.newBuilder()
					.setOrderId(command.getOrderId())
					.setStep(SagaStep.SHIP)
					.setSucceeded(shipment.created())
					.setReason(shipment.created() ? "" : shipment.reason())
					.setReference(shipment.shipmentId())
					.build());
			})
			.on(CancelShipment.getDefaultInstance(), (e, command) -> {
				shipping.cancel(command.getOrderId());
				outbox.add(Topics.SAGA_REPLIES, command.getOrderId(), StepReply.newBuilder()
					.setOrderId(command.getOrderId())
					.setStep(SagaStep.SHIP)
					.setCompensation(true)
					.setSucceeded(true)
					.build());
			})
			.build();
	}

}
