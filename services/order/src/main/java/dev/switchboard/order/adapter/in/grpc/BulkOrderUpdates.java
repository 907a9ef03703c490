package dev.switchboard.order.adapter.in.grpc;

import java.util.regex.Pattern;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.order.v1.BulkUpdateSummary;
import dev.switchboard.contracts.order.v1.OrderChange;
import dev.switchboard.contracts.order.v1.RefusedChange;
import dev.switchboard.order.application.port.in.UpdateOrdersUseCase;
import dev.switchboard.order.domain.OrderNotFoundException;
import dev.switchboard.order.domain.saga.CancellationRefusedException;

/**
 * One {@code BulkUpdateOrders} call: each change applied as it arrives (gRPC asks the
 * client for the next one only when this one is done, so nothing piles up here), a
 * refused one counted and, for the first 100, kept with its reason; the summary sent when
 * the client has sent all.
 */
final class BulkOrderUpdates implements StreamObserver<OrderChange> {

	private static final Logger log = LoggerFactory.getLogger(BulkOrderUpdates.class);

	/** Changes one call may carry. */
	static final int MAX_CHANGES = 100_000;

	private static final int KEPT_REFUSALS = 100;

	private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

	private final UpdateOrdersUseCase orders;

	private final String caller;

	private final StreamObserver<BulkUpdateSummary> response;

	private final BulkUpdateSummary.Builder summary = BulkUpdateSummary.newBuilder();

	private boolean ended;

	BulkOrderUpdates(UpdateOrdersUseCase orders, String caller, StreamObserver<BulkUpdateSummary> response) {
		this.orders = orders;
		this.caller = caller;
		this.response = response;
	}

	@Override
	public void onNext(OrderChange change) {
		if (this.ended) {
			return;
		}
		int index = this.summary.getReceived();
		this.summary.setReceived(index + 1);
		if (index >= MAX_CHANGES) {
			end(Status.INVALID_ARGUMENT.withDescription("at most " + MAX_CHANGES + " changes per call; the "
					+ this.summary.getApplied() + " applied before stay applied"));
			return;
		}
		String problem = problem(change);
		if (problem != null) {
			refuse(index, change, problem);
			return;
		}
		try {
			if (change.hasCancel()) {
				String reason = change.getCancel().getReason().isBlank() ? "cancelled by the customer"
						: change.getCancel().getReason().strip();
				this.orders.cancel(change.getOrderId(), this.caller, reason);
			}
			else {
				this.orders.annotate(change.getOrderId(), this.caller, change.getAnnotate().getNote().strip());
			}
			this.summary.setApplied(this.summary.getApplied() + 1);
		}
		catch (OrderNotFoundException ex) {
			refuse(index, change, "no order " + change.getOrderId());
		}
		catch (CancellationRefusedException ex) {
			refuse(index, change, ex.getMessage());
		}
		catch (RuntimeException ex) {
			log.warn("A bulk update stopped at change {}: {}", index, ex.toString());
			end(Status.UNAVAILABLE.withDescription("change " + index + " could not be applied now; the "
					+ this.summary.getApplied() + " applied before stay applied: send the rest again later"));
		}
	}

	/** What makes the change invalid, or null. */
	private static String problem(OrderChange change) {
		if (change.getOrderId().isBlank()) {
			return "order_id is required";
		}
		return switch (change.getChangeCase()) {
			case CANCEL -> (change.getCancel().getReason().length() > 200
					|| CONTROL.matcher(change.getCancel().getReason()).find())
							? "a reason is at most 200 characters, without control characters" : null;
			case ANNOTATE -> (change.getAnnotate().getNote().isBlank() || change.getAnnotate().getNote().length() > 1000
					|| CONTROL.matcher(change.getAnnotate().getNote()).find())
							? "a note is 1 to 1,000 characters, without control characters" : null;
			case CHANGE_NOT_SET -> "a change is either cancel or annotate";
		};
	}

	private void refuse(int index, OrderChange change, String reason) {
		this.summary.setRefused(this.summary.getRefused() + 1);
		if (this.summary.getRefusalsCount() < KEPT_REFUSALS) {
			this.summary.addRefusals(
					RefusedChange.newBuilder().setIndex(index).setOrderId(change.getOrderId()).setReason(reason));
		}
	}

	private void end(Status status) {
		this.ended = true;
		this.response.onError(status.asRuntimeException());
	}

	@Override
	public void onError(Throwable t) {
		// The client went away: what was applied stays applied; nobody to answer.
		this.ended = true;
	}

	@Override
	public void onCompleted() {
		if (!this.ended) {
			this.ended = true;
			this.response.onNext(this.summary.build());
			this.response.onCompleted();
		}
	}

}
