package dev.switchboard.shipping.adapter.in.kafka;

import java.util.Optional;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.events.v1.ShipmentCancelled;
import dev.switchboard.contracts.events.v1.ShipmentCreated;
import dev.switchboard.contracts.events.v1.ShipmentRejected;
import dev.switchboard.contracts.events.v1.StockAllocated;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.outbox.Outbox;
import dev.switchboard.shipping.application.port.in.ShipOrdersUseCase;
import dev.switchboard.shipping.application.port.in.ShipOrdersUseCase.Outcome;
import dev.switchboard.shipping.domain.Destination;
import dev.switchboard.shipping.domain.Shipment;
import dev.switchboard.shipping.domain.ShipmentStatus;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shipping's part in a choreographed saga: ship an order once its address is known (from
 * OrderCreated) and its stock allocated (StockAllocated), which arrive in either order;
 * cancel on OrderCancelled; tell everyone on {@link Topics#SHIPPING_EVENTS}. The order's
 * events come from {@link Topics#ORDER_CHOREOGRAPHY}, which holds only choreographed
 * orders (orchestrated ones get shipping commands from the order service).
 */
@Configuration(proxyBeanMethods = false)
class ChoreographySubscription {

	@Bean
	EventSubscription choreographedShipments(ShipOrdersUseCase shipping, Outbox outbox) {
		return EventSubscription.named("shipments")
			.topics(Topics.ORDER_CHOREOGRAPHY, Topics.INVENTORY_EVENTS)
			.on(OrderCreated.getDefaultInstance(), (e, event) -> {
				var a = event.getShippingAddress();
				announce(outbox, shipping.addressKnown(event.getOrderId(),
						new Destination(a.getCountry(), a.getCity(), a.getLine1(), a.getPostalCode())));
			})
			.on(StockAllocated.getDefaultInstance(),
					(e, event) -> announce(outbox, shipping.stockAllocated(event.getOrderId())))
			.on(OrderCancelled.getDefaultInstance(), (e, event) -> {
				Shipment shipment = shipping.cancel(event.getOrderId()).shipment();
				outbox.add(Topics.SHIPPING_EVENTS, event.getOrderId(),
						ShipmentCancelled.newBuilder()
							.setOrderId(event.getOrderId())
							.setShipmentId(shipment.shipmentId())
							.build());
			})
			.build();
	}

	private static void announce(Outbox outbox, Optional<Outcome> decided) {
		decided.filter(Outcome::made).map(Outcome::shipment).ifPresent((shipment) -> {
			if (shipment.created()) {
				outbox.add(Topics.SHIPPING_EVENTS, shipment.orderId(),
						ShipmentCreated.newBuilder()
							.setOrderId(shipment.orderId())
							.setShipmentId(shipment.shipmentId())
							.build());
			}
			else if (shipment.status() == ShipmentStatus.REJECTED) {
				outbox.add(Topics.SHIPPING_EVENTS, shipment.orderId(),
						ShipmentRejected.newBuilder()
							.setOrderId(shipment.orderId())
							.setReason(shipment.reason())
							.build());
			}
		});
	}

}
