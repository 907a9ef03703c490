package dev.switchboard.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.contracts.inventory.v1.ProductChange;
import dev.switchboard.contracts.inventory.v1.WatchProductsRequest;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP caching of product reads, with the gateway running for real and a stand-in
 * inventory on a real socket that counts the reads it is asked for and reports changes
 * over {@code WatchProducts} when the test says: {@code ETag}, {@code 304} and
 * {@code Cache-Control} on every answer; answers from the gateway's cache while the watch
 * is open, until a change of that product arrives; no cached answer while it is not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProductCachingTest {

	private static final StandInInventory inventory = new StandInInventory();

	private static final Server server = start();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void standIns(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channel.inventory.target", () -> "127.0.0.1:" + server.getPort());
	}

	@AfterAll
	static void stop() {
		server.shutdownNow();
	}

	@BeforeEach
	void watchOpen() {
		inventory.refuseWatches.set(false);
		awaitCaching();
	}

	/** Until the gateway serves a product twice for one read of inventory. */
	private void awaitCaching() {
		await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
			get("/api/v1/products/SKU-PROBE", null);
			int reads = inventory.reads.get();
			get("/api/v1/products/SKU-PROBE", null);
			assertThat(inventory.reads.get()).as("cached").isEqualTo(reads);
		});
	}

	@Test
	void aProductAnswerCarriesAnETagAndCacheControlAndIsA304WhileUnchanged() throws Exception {
		HttpResponse<String> first = get("/api/v1/products/SKU-ETAG", null);
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=30, public");
		String tag = first.headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> again = get("/api/v1/products/SKU-ETAG", tag);
		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(again.headers().firstValue("ETag")).hasValue(tag);

		inventory.stock.put("SKU-ETAG", 7);
		inventory.change("SKU-ETAG");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			HttpResponse<String> changed = get("/api/v1/products/SKU-ETAG", tag);
			assertThat(changed.statusCode()).isEqualTo(200);
			assertThat(changed.body()).contains("\"available\":7");
			assertThat(changed.headers().firstValue("ETag")).isNotEqualTo(tag);
		});
	}

	@Test
	void whileTheWatchIsOpenAProductIsReadOnceUntilItChanges() throws Exception {
		assertThat(get("/api/v1/products/SKU-A", null).body()).contains("\"available\":10");
		int reads = inventory.reads.get();
		HttpResponse<String> cached = get("/api/v1/products/SKU-A", null);
		assertThat(cached.body()).contains("\"available\":10");
		assertThat(cached.headers().firstValue("Age")).as("a cached answer says its age").isPresent();
		assertThat(inventory.reads.get()).as("reads of inventory").isEqualTo(reads);

		inventory.stock.put("SKU-A", 9);
		inventory.change("SKU-A");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(get("/api/v1/products/SKU-A", null).body()).contains("\"available\":9"));
	}

	@Test
	void withoutTheWatchEveryReadAsksInventory() throws Exception {
		inventory.refuseWatches.set(true);
		inventory.endWatch();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			int reads = inventory.reads.get();
			get("/api/v1/products/SKU-B", null);
			get("/api/v1/products/SKU-B", null);
			assertThat(inventory.reads.get()).isEqualTo(reads + 2);
		});

		inventory.refuseWatches.set(false);
		awaitCaching();
	}

	private HttpResponse<String> get(String path, String ifNoneMatch) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
		if (ifNoneMatch != null) {
			request.header("If-None-Match", ifNoneMatch);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static Server start() {
		try {
			return ServerBuilder.forPort(0).addService(inventory).build().start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Products with 10 units unless the test sets others; changes reported on demand. */
	static final class StandInInventory extends InventoryServiceGrpc.InventoryServiceImplBase {

		final Map<String, Integer> stock = new ConcurrentHashMap<>();

		final AtomicInteger reads = new AtomicInteger();

		final AtomicReference<StreamObserver<ProductChange>> watch = new AtomicReference<>();

		final AtomicBoolean refuseWatches = new AtomicBoolean();

		@Override
		public void getProduct(GetProductRequest request, StreamObserver<Product> response) {
			this.reads.incrementAndGet();
			response.onNext(product(request.getSku()));
			response.onCompleted();
		}

		@Override
		public StreamObserver<WatchProductsRequest> watchProducts(StreamObserver<ProductChange> changes) {
			if (this.refuseWatches.get()) {
				changes.onError(Status.UNAVAILABLE.withDescription("not now").asRuntimeException());
				return new Ignored();
			}
			changes.onNext(ProductChange.newBuilder().setReset(true).build());
			this.watch.set(changes);
			return new Ignored();
		}

		synchronized void change(String sku) {
			this.watch.get().onNext(ProductChange.newBuilder().setProduct(product(sku)).build());
		}

		synchronized void endWatch() {
			this.watch.getAndSet(null).onError(Status.UNAVAILABLE.asRuntimeException());
		}

		private Product product(String sku) {
			return Product.newBuilder()
				.setSku(sku)
				.setName("Thing")
				.setPriceCents(1999)
				.setAvailable(this.stock.getOrDefault(sku, 10))
				.build();
		}

	}

	private static final class Ignored implements StreamObserver<WatchProductsRequest> {

		@Override
		public void onNext(WatchProductsRequest value) {
		}

		@Override
		public void onError(Throwable t) {
		}

		@Override
		public void onCompleted() {
		}

	}

}
