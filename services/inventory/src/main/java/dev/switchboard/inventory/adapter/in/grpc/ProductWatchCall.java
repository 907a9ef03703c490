package dev.switchboard.inventory.adapter.in.grpc;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.contracts.inventory.v1.ProductChange;
import dev.switchboard.contracts.inventory.v1.WatchProductsRequest;
import dev.switchboard.inventory.application.port.in.WatchProductsUseCase;
import dev.switchboard.inventory.domain.ProductWatcher;

/**
 * One {@code WatchProducts} call. Changes go out only while the client has granted credit
 * and the transport can take them ({@code isReady}); meanwhile they wait, the latest per
 * SKU, so what a slow client costs is bounded by the number of products, and by
 * {@link #MAX_WAITING} whatever that is: past it the waiting changes become one reset.
 * Every send happens under this call's lock: a stream observer takes one caller at a
 * time.
 */
final class ProductWatchCall implements StreamObserver<WatchProductsRequest>, ProductWatcher {

	static final int MAX_WAITING = 10_000;

	private static final ProductChange RESET = ProductChange.newBuilder().setReset(true).build();

	private final WatchProductsUseCase watches;

	private final ServerCallStreamObserver<ProductChange> responses;

	private final SequencedMap<String, dev.switchboard.inventory.domain.ProductChange> waiting = new LinkedHashMap<>();

	private boolean resetWaiting;

	private long credit;

	private WatchProductsUseCase.Watch watch;

	private boolean closed;

	ProductWatchCall(WatchProductsUseCase watches, StreamObserver<ProductChange> responses) {
		this.watches = watches;
		this.responses = (ServerCallStreamObserver<ProductChange>) responses;
		this.responses.setOnReadyHandler(this::drain);
		this.responses.setOnCancelHandler(() -> close());
	}

	@Override
	public void onNext(WatchProductsRequest request) {
		if (request.getCredit() < 0) {
			fail(Status.INVALID_ARGUMENT.withDescription("credit must not be negative, was " + request.getCredit()));
			return;
		}
		boolean first;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			first = this.watch == null;
			this.credit += request.getCredit();
		}
		if (first) {
			// The feed calls resync() when the watch begins: the first answer is a reset.
			WatchProductsUseCase.Watch opened = this.watches.watch(new HashSet<>(request.getSkusList()), this);
			synchronized (this) {
				this.watch = opened;
				if (this.closed) {
					opened.close();
				}
			}
		}
		drain();
	}

	@Override
	public void changed(dev.switchboard.inventory.domain.ProductChange change) {
		synchronized (this) {
			// Re-inserted, so the waiting changes go out in the order of their latest.
			this.waiting.remove(change.sku());
			this.waiting.put(change.sku(), change);
			if (this.waiting.size() > MAX_WAITING) {
				this.waiting.clear();
				this.resetWaiting = true;
			}
		}
		drain();
	}

	@Override
	public void resync() {
		synchronized (this) {
			// A reset supersedes every change waiting before it.
			this.waiting.clear();
			this.resetWaiting = true;
		}
		drain();
	}

	private synchronized void drain() {
		while (!this.closed && this.credit > 0 && this.responses.isReady()
				&& (this.resetWaiting || !this.waiting.isEmpty())) {
			if (this.resetWaiting) {
				this.resetWaiting = false;
				this.responses.onNext(RESET);
			}
			else {
				var next = this.waiting.pollFirstEntry().getValue();
				this.responses.onNext(ProductChange.newBuilder()
					.setProduct(Product.newBuilder()
						.setSku(next.sku())
						.setAvailable(next.available())
						.setPriceCents(next.priceCents()))
					.build());
			}
			this.credit--;
		}
	}

	@Override
	public void onError(Throwable error) {
		close();
	}

	@Override
	public void onCompleted() {
		if (close()) {
			synchronized (this) {
				this.responses.onCompleted();
			}
		}
	}

	private void fail(Status status) {
		if (close()) {
			synchronized (this) {
				this.responses.onError(status.asRuntimeException());
			}
		}
	}

	/** Ends the watch; {@code false} when it had ended already. */
	private synchronized boolean close() {
		if (this.closed) {
			return false;
		}
		this.closed = true;
		this.waiting.clear();
		if (this.watch != null) {
			this.watch.close();
		}
		return true;
	}

}
