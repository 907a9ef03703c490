package dev.switchboard.inventory.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.saga.v1.AllocateStock;
import dev.switchboard.contracts.saga.v1.DeallocateStock;
import dev.switchboard.contracts.saga.v1.ReleaseStock;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase.Settlement;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Inventory's part in an orchestrated saga: the commands on
 * {@link Topics#INVENTORY_COMMANDS}, each answered on {@link Topics#SAGA_REPLIES}.
 */
@Configuration(proxyBeanMethods = false)
class CommandSubscription {

	@Bean
	EventSubscription inventoryCommands(SettleReservationUseCase settle, Outbox outbox) {
		return EventSubscription.named("commands")
			.topics(Topics.INVENTORY_COMMANDS)
			.on(AllocateStock.getDefaultInstance(), (e, command) -> reply(outbox, command.getOrderId(),
					SagaStep.ALLOCATE, false, settle.allocate(command.getOrderId())))
			.on(DeallocateStock.getDefaultInstance(), (e, command) -> reply(outbox, command.getOrderId(),
					SagaStep.ALLOCATE, true, settle.deallocate(command.getOrderId())))
			.on(ReleaseStock.getDefaultInstance(), (e, command) -> reply(outbox, command.getOrderId(),
					SagaStep.RESERVE, true, settle.release(command.getOrderId())))
			.build();
	}

	private static void reply(Outbox outbox, String orderId, SagaStep step, boolean compensation,
			Settlement settlement) {
		outbox.add(Topics.SAGA_REPLIES, orderId, StepReply.newBuilder()
			.setOrderId(orderId)
			.setStep(step)
			.setCompensation(compensation)
			.setSucceeded(settlement.succeeded())
			.setReason(settlement.succeeded() ? "" : settlement.refusal())
			.build());
	}

}
