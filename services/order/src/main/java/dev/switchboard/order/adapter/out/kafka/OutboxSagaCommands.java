package dev.switchboard.order.adapter.out.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.contracts.saga.v1.AllocateStock;
import dev.switchboard.contracts.saga.v1.CancelShipment;
import dev.switchboard.contracts.saga.v1.DeallocateStock;
import dev.switchboard.contracts.saga.v1.ReleaseStock;
import dev.switchboard.contracts.saga.v1.ScheduleShipment;
import dev.switchboard.order.application.port.out.SagaCommands;
import dev.switchboard.order.domain.Order;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Inventory's and shipping's saga commands through the outbox, onto their command topics,
 * keyed by order id, so that those participants handle one order's commands in the order
 * they were decided. This service writes the command topics and creates them, and the
 * reply topic it reads.
 */
@Component
class OutboxSagaCommands implements SagaCommands {

	private final Outbox outbox;

	OutboxSagaCommands(Outbox outbox) {
		this.outbox = outbox;
	}

	/**
	 * Payment's work queue, declared whatever its edge's transport: commands the outbox
	 * holds from before a switch still go out.
	 */
	@Bean
	static QueueSpec paymentCommandsQueue() {
		return Queues.PAYMENT_COMMANDS;
	}

	@Override
	public String allocate(String orderId) {
		return this.outbox.add(Topics.INVENTORY_COMMANDS, orderId,
				AllocateStock.newBuilder().setOrderId(orderId).build());
	}

	@Override
	public String deallocate(String orderId) {
		return this.outbox.add(Topics.INVENTORY_COMMANDS, orderId,
				DeallocateStock.newBuilder().setOrderId(orderId).build());
	}

	@Override
	public String release(String orderId) {
		return this.outbox.add(Topics.INVENTORY_COMMANDS, orderId,
				ReleaseStock.newBuilder().setOrderId(orderId).build());
	}

	@Override
	public String ship(Order order) {
		return this.outbox.add(Topics.SHIPPING_COMMANDS, order.id(),
				ScheduleShipment.newBuilder()
					.setOrderId(order.id())
					.setShippingAddress(OutboxOrderEventPublisher.address(order))
					.build());
	}

	@Override
	public String cancelShipment(String orderId) {
		return this.outbox.add(Topics.SHIPPING_COMMANDS, orderId,
				CancelShipment.newBuilder().setOrderId(orderId).build());
	}

}
