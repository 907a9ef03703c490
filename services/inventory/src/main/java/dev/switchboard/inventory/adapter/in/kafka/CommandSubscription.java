package dev.switchboard.inventory.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.saga.v1.AllocateStock;
import dev.switchboard.contracts.saga.v1.DeallocateStock;
import dev.switchboard.contracts.saga.v1.ReleaseStock;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase;
import dev.switchboard.inventory.application.port.in.SettleReservationUseCase.Settlement;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.saga.SagaReplies;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Inventory's part in an orchestrated saga: the commands on
 * {@link Topics#INVENTORY_COMMANDS}, each answered on {@link Topics#SAGA_REPLIES}.
 */
@Configuration(proxyBeanMethods = false)
class CommandSubscription {

	@Bean
	EventSubscription inventoryCommands(SettleReservationUseCase settle, SagaReplies replies) {
		return EventSubscription.named("commands")
			.topics(Topics.INVENTORY_COMMANDS)
			.on(AllocateStock.getDefaultInstance(), (e, command) -> {
				Settlement settlement = settle.allocate(command.getOrderId());
				replies.step(command.getOrderId(), SagaStep.ALLOCATE, settlement.succeeded(), settlement.refusal(), "");
			})
			.on(DeallocateStock.getDefaultInstance(), (e, command) -> {
				Settlement settlement = settle.deallocate(command.getOrderId());
				replies.compensation(command.getOrderId(), SagaStep.ALLOCATE, settlement.succeeded(),
						settlement.refusal());
			})
			.on(ReleaseStock.getDefaultInstance(), (e, command) -> {
				Settlement settlement = settle.release(command.getOrderId());
				replies.compensation(command.getOrderId(), SagaStep.RESERVE, settlement.succeeded(),
						settlement.refusal());
			})
			.build();
	}

}
