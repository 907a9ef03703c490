package dev.switchboard.payment.adapter.in.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.payment.application.PaymentService;
import dev.switchboard.payment.application.PaymentService.Charge;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Payment's part in an orchestrated saga: the commands on
 * {@link Topics#PAYMENT_COMMANDS}, each answered on {@link Topics#SAGA_REPLIES}. A
 * repeated command gets the same answer again and has no second effect.
 */
@Configuration(proxyBeanMethods = false)
class CommandSubscription {

	@Bean
	EventSubscription paymentCommands(PaymentService payments, Outbox outbox) {
		return EventSubscription.named("commands")
			.topics(Topics.PAYMENT_COMMANDS)
			.on(ChargePayment.getDefaultInstance(), (e, command) -> {
				Charge charge = payments.charge(command.getOrderId(), command.getPaymentToken(),
						command.getAmountCents());
				if (charge.answer()) {
					reply(outbox, StepReply.newBuilder()
						.setOrderId(command.getOrderId())
						.setStep(SagaStep.CHARGE)
						.setSucceeded(charge.approved())
						.setReason(charge.approved() ? "" : charge.failureReason())
						.setReference(charge.payment().paymentId()));
				}
			})
			.on(RefundPayment.getDefaultInstance(), (e, command) -> {
				payments.refund(command.getOrderId());
				reply(outbox, StepReply.newBuilder()
					.setOrderId(command.getOrderId())
					.setStep(SagaStep.CHARGE)
					.setCompensation(true)
					.setSucceeded(true));
			})
			.build();
	}

	private static void reply(Outbox outbox, StepReply.Builder reply) {
		outbox.add(Topics.SAGA_REPLIES, reply.getOrderId(), reply.build());
	}

}
