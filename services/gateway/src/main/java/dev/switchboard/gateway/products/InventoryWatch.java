package dev.switchboard.gateway.products;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.ProductChange;
import dev.switchboard.contracts.inventory.v1.WatchProductsRequest;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the product caches current: one {@code WatchProducts} call to inventory for as
 * long as the gateway runs, each change invalidating what it touches. Cached answers are
 * served only while the watch is up (from its first answer, a reset); when it breaks they
 * stop being fresh at once and it is opened again, backing off to {@link #MAX_BACKOFF}.
 * The gateway grants inventory {@value #WINDOW} changes at a time and more as it handles
 * them.
 */
@Component
class InventoryWatch implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(InventoryWatch.class);

	static final int WINDOW = 256;

	private static final Duration MIN_BACKOFF = Duration.ofMillis(500);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final InventoryServiceGrpc.InventoryServiceStub inventory;

	private final ProductCaches caches;

	private final ScheduledExecutorService reopen = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("inventory-watch").daemon().factory());

	private volatile boolean running;

	private volatile ClientCallStreamObserver<WatchProductsRequest> requests;

	private volatile Duration backoff = MIN_BACKOFF;

	/**
	 * Whether this outage of the watch was logged already: once at WARN, then at DEBUG.
	 */
	private volatile boolean told;

	InventoryWatch(InventoryServiceGrpc.InventoryServiceBlockingStub inventory, ProductCaches caches) {
		this.inventory = InventoryServiceGrpc.newStub(inventory.getChannel());
		this.caches = caches;
	}

	private void open() {
		if (!this.running) {
			return;
		}
		this.inventory.watchProducts(new ClientResponseObserver<WatchProductsRequest, ProductChange>() {

			private int handled;

			@Override
			public void beforeStart(ClientCallStreamObserver<WatchProductsRequest> stream) {
				InventoryWatch.this.requests = stream;
			}

			@Override
			public void onNext(ProductChange change) {
				if (change.getReset()) {
					InventoryWatch.this.caches.resync(true);
					InventoryWatch.this.backoff = MIN_BACKOFF;
					InventoryWatch.this.told = false;
				}
				else {
					InventoryWatch.this.caches.changed(change.getProduct().getSku());
				}
				if (++this.handled == WINDOW / 2) {
					InventoryWatch.this.requests.onNext(credit(this.handled));
					this.handled = 0;
				}
			}

			@Override
			public void onError(Throwable error) {
				lost(Status.fromThrowable(error));
			}

			@Override
			public void onCompleted() {
				lost(Status.UNAVAILABLE.withDescription("inventory ended the watch"));
			}

		});
		this.requests.onNext(credit(WINDOW));
	}

	private void lost(Status status) {
		this.caches.resync(false);
		if (!this.running) {
			return;
		}
		Duration wait = this.backoff;
		this.backoff = (wait.compareTo(MAX_BACKOFF.dividedBy(2)) < 0) ? wait.multipliedBy(2) : MAX_BACKOFF;
		String message = "Watching inventory's products failed ({}: {}); products are read from inventory, uncached, "
				+ "until the watch is open again (next try in {})";
		if (this.told) {
			log.debug(message, status.getCode(), status.getDescription(), wait);
		}
		else {
			log.warn(message, status.getCode(), status.getDescription(), wait);
			this.told = true;
		}
		this.reopen.schedule(this::open, wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static WatchProductsRequest credit(int credit) {
		return WatchProductsRequest.newBuilder().setCredit(credit).build();
	}

	@Override
	public void start() {
		this.running = true;
		this.reopen.execute(this::open);
	}

	@Override
	public void stop() {
		this.running = false;
		ClientCallStreamObserver<WatchProductsRequest> call = this.requests;
		if (call != null) {
			call.cancel("the gateway is stopping", null);
		}
		this.reopen.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
