package dev.switchboard.inventory.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.PaymentApproved;
import dev.switchboard.contracts.events.v1.StockAllocated;
import dev.switchboard.contracts.events.v1.StockAllocationFailed;
import dev.switchboard.contracts.events.v1.StockReleased;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase.Settlement;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Inventory's part in a choreographed saga: allocate a paid order's stock (payment only
 * announces payments of choreographed orders), release a cancelled one's (from
 * {@link Topics#ORDER_CHOREOGRAPHY}, which holds only choreographed orders), and tell
 * everyone on {@link Topics#INVENTORY_EVENTS}. An allocation that fails releases the
 * reservation at once: nobody else would.
 */
@Configuration(proxyBeanMethods = false)
class ChoreographySubscription {

	@Bean
	EventSubscription choreographedStock(SettleReservationUseCase settle, Outbox outbox) {
		return EventSubscription.named("choreography")
			.topics(Topics.PAYMENT_EVENTS, Topics.ORDER_CHOREOGRAPHY)
			.on(PaymentApproved.getDefaultInstance(), (e, event) -> {
				String orderId = event.getOrderId();
				Settlement allocation = settle.allocate(orderId);
				if (allocation.succeeded()) {
					if (allocation.changed()) {
						outbox.add(Topics.INVENTORY_EVENTS, orderId,
								StockAllocated.newBuilder().setOrderId(orderId).build());
					}
					return;
				}
				outbox.add(Topics.INVENTORY_EVENTS, orderId,
						StockAllocationFailed.newBuilder().setOrderId(orderId).setReason(allocation.refusal()).build());
				release(settle, outbox, orderId);
			})
			.on(OrderCancelled.getDefaultInstance(), (e, event) -> release(settle, outbox, event.getOrderId()))
			.build();
	}

	private static void release(SettleReservationUseCase settle, Outbox outbox, String orderId) {
		if (settle.release(orderId).changed()) {
			outbox.add(Topics.INVENTORY_EVENTS, orderId, StockReleased.newBuilder().setOrderId(orderId).build());
		}
	}

}
