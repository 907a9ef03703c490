package dev.switchboard.inventory.adapter.in.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.inventory.v1.ProductChange;
import dev.switchboard.contracts.inventory.v1.WatchProductsRequest;
import dev.switchboard.inventory.application.port.in.WatchProductsUseCase;
import dev.switchboard.inventory.domain.ProductWatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flow control of one watch, against a stand-in transport whose readiness the test
 * sets: nothing goes out beyond the client's credit or while the transport is not ready,
 * and what waits meanwhile stays bounded.
 */
class ProductWatchCallTest {

	private final Responses responses = new Responses();

	private ProductWatcher feed;

	private boolean watchClosed;

	private final WatchProductsUseCase watches = (skus, watcher) -> {
		this.feed = watcher;
		watcher.resync();
		return () -> this.watchClosed = true;
	};

	private final ProductWatchCall call = new ProductWatchCall(this.watches, this.responses);

	@Test
	void theFirstAnswerIsAResetAndNothingGoesOutWithoutCredit() {
		this.call.onNext(WatchProductsRequest.newBuilder().setCredit(0).build());
		change("SKU-1", 5);
		assertThat(this.responses.sent).isEmpty();

		this.call.onNext(credit(1));
		assertThat(this.responses.sent).extracting(ProductChange::getReset).containsExactly(true);
		this.call.onNext(credit(5));
		assertThat(this.responses.sent).hasSize(2);
		assertThat(this.responses.sent.get(1).getProduct().getAvailable()).isEqualTo(5);
	}

	@Test
	void whileTheClientHasNoCreditOnlyTheLatestChangeOfEachProductWaits() {
		this.call.onNext(credit(1));
		for (int i = 0; i < 1000; i++) {
			change("SKU-" + (i % 3), i);
		}
		this.call.onNext(credit(100));
		assertThat(this.responses.sent.subList(1, this.responses.sent.size()))
			.extracting((c) -> c.getProduct().getSku() + "=" + c.getProduct().getAvailable())
			.as("in the order of their latest change")
			.containsExactly("SKU-1=997", "SKU-2=998", "SKU-0=999");
	}

	@Test
	void pastTheBoundTheWaitingChangesBecomeOneReset() {
		this.call.onNext(credit(1));
		for (int i = 0; i <= ProductWatchCall.MAX_WAITING; i++) {
			change("SKU-" + i, 1);
		}
		change("SKU-last", 2);
		this.call.onNext(credit(100));
		assertThat(this.responses.sent).extracting(ProductChange::getReset).containsExactly(true, true, false);
		assertThat(this.responses.sent.getLast().getProduct().getSku()).as("the change after the bound was passed")
			.isEqualTo("SKU-last");
	}

	@Test
	void aTransportThatCannotTakeMoreHoldsChangesUntilItIsReady() {
		this.call.onNext(credit(10));
		this.responses.ready = false;
		change("SKU-1", 1);
		change("SKU-1", 2);
		assertThat(this.responses.sent).hasSize(1);

		this.responses.ready = true;
		this.responses.onReady.run();
		assertThat(this.responses.sent).hasSize(2);
		assertThat(this.responses.sent.get(1).getProduct().getAvailable()).isEqualTo(2);
	}

	@Test
	void negativeCreditIsRefusedAndEndsTheWatch() {
		this.call.onNext(credit(1));
		this.call.onNext(credit(-1));
		assertThat(this.responses.error.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(this.watchClosed).isTrue();
	}

	@Test
	void aCancelledCallEndsTheWatchAndSendsNothingMore() {
		this.call.onNext(credit(10));
		this.responses.onCancel.run();
		change("SKU-1", 1);
		assertThat(this.watchClosed).isTrue();
		assertThat(this.responses.sent).hasSize(1);
	}

	private void change(String sku, int available) {
		this.feed.changed(new dev.switchboard.inventory.domain.ProductChange(sku, available, 100));
	}

	private static WatchProductsRequest credit(int credit) {
		return WatchProductsRequest.newBuilder().setCredit(credit).build();
	}

	/** A stand-in for the call's outbound side. */
	private static final class Responses extends ServerCallStreamObserver<ProductChange> {

		final List<ProductChange> sent = new ArrayList<>();

		boolean ready = true;

		Runnable onReady;

		Runnable onCancel;

		Status error;

		@Override
		public void onNext(ProductChange value) {
			this.sent.add(value);
		}

		@Override
		public void onError(Throwable t) {
			this.error = Status.fromThrowable(t);
		}

		@Override
		public void onCompleted() {
		}

		@Override
		public boolean isReady() {
			return this.ready;
		}

		@Override
		public void setOnReadyHandler(Runnable handler) {
			this.onReady = handler;
		}

		@Override
		public void setOnCancelHandler(Runnable handler) {
			this.onCancel = handler;
		}

		@Override
		public boolean isCancelled() {
			return false;
		}

		@Override
		public void setCompression(String compression) {
		}

		@Override
		public void disableAutoInboundFlowControl() {
		}

		@Override
		public void request(int count) {
		}

		@Override
		public void setMessageCompression(boolean enable) {
		}

	}

}
