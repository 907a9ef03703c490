package dev.switchboard.payment.adapter.in.grpc;

import java.util.Objects;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.payment.v1.PaymentServiceGrpc;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.payment.application.port.in.ChargeOrdersUseCase;
import dev.switchboard.payment.application.port.in.ChargeOrdersUseCase.Charge;

import org.springframework.stereotype.Service;

/**
 * The saga's charge and refund as synchronous calls, for an order service whose payment
 * edge is gRPC ({@code up --edge order-payment=grpc}): the same use case and the same
 * answer as a command on the work queue, returned instead of sent on the reply topic.
 * Only order may call it (the access policy).
 *
 * <p>
 * A test token whose answer is lost ({@code tok_noReply}) charges and then fails the call
 * with UNAVAILABLE, as a connection dropped after the charge would: the caller cannot
 * tell whether it was charged, and its saga times the step out and refunds it.
 */
@Service
class PaymentGrpcService extends PaymentServiceGrpc.PaymentServiceImplBase {

	private static final Logger log = LoggerFactory.getLogger(PaymentGrpcService.class);

	private final ChargeOrdersUseCase payments;

	PaymentGrpcService(ChargeOrdersUseCase payments) {
		this.payments = payments;
	}

	@Override
	public void charge(ChargePayment request, StreamObserver<StepReply> response) {
		if (request.getOrderId().isBlank()) {
			response.onError(Status.INVALID_ARGUMENT.withDescription("order_id is required").asException());
			return;
		}
		Charge charge = this.payments.charge(request.getOrderId(), request.getPaymentToken(), request.getAmountCents());
		// As a consumer logs each command it handles: the order's line in its trace.
		log.info("Charge of order {} called: {}", request.getOrderId(),
				charge.approved() ? "approved" : Objects.toString(charge.failureReason(), "declined"));
		if (!charge.answer()) {
			response.onError(Status.UNAVAILABLE
				.withDescription("the answer to the charge of order " + request.getOrderId() + " was lost (test token)")
				.asException());
			return;
		}
		response.onNext(reply(request.getOrderId(), false, charge.approved())
			.setReason(charge.approved() ? "" : Objects.toString(charge.failureReason(), "declined"))
			.setReference(charge.payment().paymentId())
			.build());
		response.onCompleted();
	}

	@Override
	public void refund(RefundPayment request, StreamObserver<StepReply> response) {
		if (request.getOrderId().isBlank()) {
			response.onError(Status.INVALID_ARGUMENT.withDescription("order_id is required").asException());
			return;
		}
		this.payments.refund(request.getOrderId());
		log.info("Refund of order {} called: done", request.getOrderId());
		response.onNext(reply(request.getOrderId(), true, true).build());
		response.onCompleted();
	}

	private static StepReply.Builder reply(String orderId, boolean compensation, boolean succeeded) {
		return StepReply.newBuilder()
			.setOrderId(orderId)
			.setStep(SagaStep.CHARGE)
			.setCompensation(compensation)
			.setSucceeded(succeeded);
	}

}
