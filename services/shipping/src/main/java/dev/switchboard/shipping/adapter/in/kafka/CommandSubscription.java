package dev.switchboard.shipping.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.saga.v1.CancelShipment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.ScheduleShipment;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.saga.SagaReplies;
import dev.switchboard.shipping.application.port.in.ShipOrdersUseCase;
import dev.switchboard.shipping.domain.Shipment;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shipping's part in an orchestrated saga: the commands on
 * {@link Topics#SHIPPING_COMMANDS}, each answered on {@link Topics#SAGA_REPLIES}.
 */
@Configuration(proxyBeanMethods = false)
class CommandSubscription {

	@Bean
	EventSubscription shippingCommands(ShipOrdersUseCase shipping, SagaReplies replies) {
		return EventSubscription.named("commands")
			.topics(Topics.SHIPPING_COMMANDS)
			.on(ScheduleShipment.getDefaultInstance(), (e, command) -> {
				Shipment shipment = shipping.ship(command.getOrderId(), command.getShippingAddress().getCountry())
					.shipment();
				replies.step(command.getOrderId(), SagaStep.SHIP, shipment.created(), shipment.reason(),
						shipment.shipmentId());
			})
			.on(CancelShipment.getDefaultInstance(), (e, command) -> {
				shipping.cancel(command.getOrderId());
				replies.compensated(command.getOrderId(), SagaStep.SHIP);
			})
			.build();
	}

}
