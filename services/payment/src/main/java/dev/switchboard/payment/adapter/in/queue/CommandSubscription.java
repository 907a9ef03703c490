package dev.switchboard.payment.adapter.in.queue;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.payment.application.port.in.ChargeOrdersUseCase;
import dev.switchboard.payment.application.port.in.ChargeOrdersUseCase.Charge;
import dev.switchboard.platform.queue.QueueSubscription;
import dev.switchboard.platform.saga.SagaReplies;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Payment's part in an orchestrated saga: the commands on the work queue
 * {@link Queues#PAYMENT_COMMANDS}, taken by competing consumers and each answered on
 * {@link Topics#SAGA_REPLIES}. A repeated command gets the same answer again and has no
 * second effect; commands of one order may arrive in any order (a refund first voids it).
 */
@Configuration(proxyBeanMethods = false)
class CommandSubscription {

	@Bean
	QueueSubscription paymentCommands(ChargeOrdersUseCase payments, SagaReplies replies) {
		return QueueSubscription.named("commands")
			.queue(Queues.PAYMENT_COMMANDS)
			.on(ChargePayment.getDefaultInstance(), (message, command) -> {
				Charge charge = payments.charge(command.getOrderId(), command.getPaymentToken(),
						command.getAmountCents());
				if (charge.answer()) {
					replies.step(command.getOrderId(), SagaStep.CHARGE, charge.approved(), charge.failureReason(),
							charge.payment().paymentId());
				}
			})
			.on(RefundPayment.getDefaultInstance(), (message, command) -> {
				payments.refund(command.getOrderId());
				replies.compensated(command.getOrderId(), SagaStep.CHARGE);
			})
			.build();
	}

}
