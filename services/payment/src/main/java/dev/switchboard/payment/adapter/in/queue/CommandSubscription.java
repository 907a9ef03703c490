package dev.switchboard.payment.adapter.in.queue;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.payment.application.port.in.ChargeOrdersUseCase;
import dev.switchboard.payment.application.port.in.ChargeOrdersUseCase.Charge;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.queue.QueueSubscription;
import dev.switchboard.platform.saga.SagaReplies;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Payment's part in an orchestrated saga: the commands, each answered on
 * {@link Topics#SAGA_REPLIES}. They come on the work queue
 * {@link Queues#PAYMENT_COMMANDS} (competing consumers; commands of one order may arrive
 * in any order, a refund first voids it) or, when the order service's payment edge is a
 * stream, on {@link Topics#PAYMENT_COMMAND_STREAM} (one order's commands in the order
 * decided). Payment listens on both whatever that edge's setting: commands sent before
 * the setting changed are still taken. A repeated command gets the same answer again and
 * has no second effect.
 */
@Configuration(proxyBeanMethods = false)
class CommandSubscription {

	@Bean
	QueueSubscription paymentCommands(ChargeOrdersUseCase payments, SagaReplies replies) {
		return QueueSubscription.named("commands")
			.queue(Queues.PAYMENT_COMMANDS)
			.on(ChargePayment.getDefaultInstance(), (message, command) -> charge(payments, replies, command))
			.on(RefundPayment.getDefaultInstance(), (message, command) -> refund(payments, replies, command))
			.build();
	}

	@Bean
	EventSubscription paymentCommandStream(ChargeOrdersUseCase payments, SagaReplies replies) {
		return EventSubscription.named("command-stream")
			.topics(Topics.PAYMENT_COMMAND_STREAM)
			.on(ChargePayment.getDefaultInstance(), (envelope, command) -> charge(payments, replies, command))
			.on(RefundPayment.getDefaultInstance(), (envelope, command) -> refund(payments, replies, command))
			.build();
	}

	private static void charge(ChargeOrdersUseCase payments, SagaReplies replies, ChargePayment command) {
		Charge charge = payments.charge(command.getOrderId(), command.getPaymentToken(), command.getAmountCents());
		if (charge.answer()) {
			replies.step(command.getOrderId(), SagaStep.CHARGE, charge.approved(), charge.failureReason(),
					charge.payment().paymentId());
		}
	}

	private static void refund(ChargeOrdersUseCase payments, SagaReplies replies, RefundPayment command) {
		payments.refund(command.getOrderId());
		replies.compensated(command.getOrderId(), SagaStep.CHARGE);
	}

}
