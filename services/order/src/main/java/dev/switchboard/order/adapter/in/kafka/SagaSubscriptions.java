package dev.switchboard.order.adapter.in.kafka;

import java.util.List;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.PaymentApproved;
import dev.switchboard.contracts.events.v1.PaymentDeclined;
import dev.switchboard.contracts.events.v1.PaymentRefunded;
import dev.switchboard.contracts.events.v1.ShipmentCancelled;
import dev.switchboard.contracts.events.v1.ShipmentCreated;
import dev.switchboard.contracts.events.v1.ShipmentRejected;
import dev.switchboard.contracts.events.v1.StockAllocated;
import dev.switchboard.contracts.events.v1.StockAllocationFailed;
import dev.switchboard.contracts.events.v1.StockReleased;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.order.application.port.in.TrackSagaUseCase;
import dev.switchboard.order.domain.OrderNotFoundException;
import dev.switchboard.order.domain.saga.StepName;
import dev.switchboard.platform.messaging.EventSubscription;
import dev.switchboard.platform.messaging.MalformedEventException;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the order service hears about its sagas: replies to its commands (orchestration)
 * and the participants' events (choreography). Both end in the same use case.
 */
@Configuration(proxyBeanMethods = false)
public class SagaSubscriptions {

	/** The subscriptions the participants' answers arrive on. */
	static final List<String> ANSWERS = List.of("saga-replies", "participant-events");

	@Bean
	EventSubscription sagaReplies(TrackSagaUseCase tracker) {
		TrackSagaUseCase sagas = knownOrdersOnly(tracker);
		return EventSubscription.named(ANSWERS.get(0))
			.topics(Topics.SAGA_REPLIES)
			.on(StepReply.getDefaultInstance(), (envelope, reply) -> onReply(sagas, reply, envelope.id()))
			.build();
	}

	@Bean
	EventSubscription participantEvents(TrackSagaUseCase tracker) {
		TrackSagaUseCase sagas = knownOrdersOnly(tracker);
		return EventSubscription.named(ANSWERS.get(1))
			.topics(Topics.PAYMENT_EVENTS, Topics.INVENTORY_EVENTS, Topics.SHIPPING_EVENTS)
			.on(PaymentApproved.getDefaultInstance(),
					(e, event) -> sagas.stepSucceeded(event.getOrderId(), StepName.CHARGE, event.getPaymentId(),
							e.id()))
			.on(PaymentDeclined.getDefaultInstance(),
					(e, event) -> sagas.stepFailed(event.getOrderId(), StepName.CHARGE, event.getReason()))
			.on(StockAllocated.getDefaultInstance(),
					(e, event) -> sagas.stepSucceeded(event.getOrderId(), StepName.ALLOCATE, null, e.id()))
			.on(StockAllocationFailed.getDefaultInstance(),
					(e, event) -> sagas.stepFailed(event.getOrderId(), StepName.ALLOCATE, event.getReason()))
			.on(ShipmentCreated.getDefaultInstance(),
					(e, event) -> sagas.stepSucceeded(event.getOrderId(), StepName.SHIP, event.getShipmentId(), e.id()))
			.on(ShipmentRejected.getDefaultInstance(),
					(e, event) -> sagas.stepFailed(event.getOrderId(), StepName.SHIP, event.getReason()))
			.on(PaymentRefunded.getDefaultInstance(),
					(e, event) -> sagas.compensated(event.getOrderId(), StepName.CHARGE))
			// Releasing a reservation undoes its allocation too, whichever state it was
			// in.
			.on(StockReleased.getDefaultInstance(), (e, event) -> {
				sagas.compensated(event.getOrderId(), StepName.ALLOCATE);
				sagas.compensated(event.getOrderId(), StepName.RESERVE);
			})
			.on(ShipmentCancelled.getDefaultInstance(),
					(e, event) -> sagas.compensated(event.getOrderId(), StepName.SHIP))
			.build();
	}

	/**
	 * A report about an order this service does not have can never apply (commands and
	 * events follow the order's commit), so it goes to the dead-letter topic at once
	 * instead of blocking its partition with retries.
	 */
	static TrackSagaUseCase knownOrdersOnly(TrackSagaUseCase sagas) {
		return new TrackSagaUseCase() {

			@Override
			public void stepSucceeded(String orderId, StepName step, String reference, String reportId) {
				known(() -> sagas.stepSucceeded(orderId, step, reference, reportId));
			}

			@Override
			public void stepFailed(String orderId, StepName step, String reason) {
				known(() -> sagas.stepFailed(orderId, step, reason));
			}

			@Override
			public void compensated(String orderId, StepName step) {
				known(() -> sagas.compensated(orderId, step));
			}

			@Override
			public void compensationFailed(String orderId, StepName step, String reason) {
				known(() -> sagas.compensationFailed(orderId, step, reason));
			}

			@Override
			public int expireOverdue(java.time.Instant answersHeardSince) {
				return sagas.expireOverdue(answersHeardSince);
			}

			@Override
			public java.time.Instant nextExpiryCheck() {
				return sagas.nextExpiryCheck();
			}

			private void known(Runnable report) {
				try {
					report.run();
				}
				catch (OrderNotFoundException ex) {
					throw new MalformedEventException(ex.getMessage(), ex);
				}
			}

		};
	}

	static void onReply(TrackSagaUseCase sagas, StepReply reply, String replyId) {
		StepName step = switch (reply.getStep()) {
			case RESERVE -> StepName.RESERVE;
			case CHARGE -> StepName.CHARGE;
			case ALLOCATE -> StepName.ALLOCATE;
			case SHIP -> StepName.SHIP;
			case SAGA_STEP_UNSPECIFIED, UNRECOGNIZED ->
				throw new MalformedEventException("reply for order " + reply.getOrderId() + " names no known step");
		};
		String reference = reply.getReference().isEmpty() ? null : reply.getReference();
		if (reply.getCompensation()) {
			if (reply.getSucceeded()) {
				sagas.compensated(reply.getOrderId(), step);
			}
			else {
				sagas.compensationFailed(reply.getOrderId(), step, reply.getReason());
			}
		}
		else if (reply.getSucceeded()) {
			sagas.stepSucceeded(reply.getOrderId(), step, reference, replyId);
		}
		else {
			sagas.stepFailed(reply.getOrderId(), step, reply.getReason());
		}
	}

}
