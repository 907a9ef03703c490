package dev.switchboard.gateway.products;

import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.Map;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.ListProductsRequest;
import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.gateway.web.GrpcErrors;
import dev.switchboard.gateway.web.Money;
import dev.switchboard.gateway.web.UpstreamException;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.EdgeUnavailableException;
import dev.switchboard.platform.resilience.Edges;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalogue, read from inventory through the edge {@code inventory}, or from the
 * gateway's cache while that is current (see {@link ProductCache}: up to 30 s, and never
 * past a change inventory reported). When inventory cannot answer, the last answer the
 * gateway saw is served instead, marked stale; with nothing seen yet, the client gets the
 * 503. Answers may be cached by clients for 30 s ({@code Cache-Control}) and carry an
 * {@code ETag} (web.ConditionalReads), so a client that asks again gets a 304 if nothing
 * changed.
 */
@Tag(name = "products", description = "The catalogue: public")
@RestController
@RequestMapping("/api/v1/products")
class ProductsController {

	/** What clients and caches on the way may do with a product answer. */
	static final CacheControl CACHE_CONTROL = CacheControl.maxAge(Duration.ofSeconds(30)).cachePublic();

	static final String CACHE_METER = "switchboard.gateway.product.cache";

	private static final String REVALIDATE = "no-cache (or max-age=0): answer from inventory, not from the "
			+ "gateway's cache (the last known answer still covers inventory's absence)";

	private final InventoryServiceGrpc.InventoryServiceBlockingStub inventory;

	private final Edge edge;

	private final ProductCache<List<ProductView>> catalogue;

	private final ProductCache<ProductView> products;

	private final Counter hits;

	private final Counter misses;

	ProductsController(InventoryServiceGrpc.InventoryServiceBlockingStub inventory, Edges edges, ProductCaches caches,
			MeterRegistry meters) {
		this.inventory = inventory;
		this.edge = edges.edge("inventory");
		this.catalogue = caches.catalogue;
		this.products = caches.products;
		this.hits = meters.counter(CACHE_METER, "result", "hit");
		this.misses = meters.counter(CACHE_METER, "result", "miss");
	}

	@GetMapping
	@Operation(summary = "The catalogue", description = "Every product with its price and the units available. "
			+ "When inventory cannot answer, the last catalogue the gateway saw, marked stale (Switchboard-Stale: true, with its Age).")
	@ApiResponse(responseCode = "200", description = "The catalogue")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
	ResponseEntity<List<ProductView>> products(@Parameter(description = REVALIDATE) @RequestHeader(
			value = HttpHeaders.CACHE_CONTROL, required = false) String cacheControl) {
		Optional<ResponseEntity<List<ProductView>>> cached = revalidate(cacheControl) ? Optional.empty()
				: this.catalogue.fresh(ProductCaches.CATALOGUE);
		if (cached.isPresent()) {
			this.hits.increment();
			return cached.get();
		}
		this.misses.increment();
		ProductCache.Stamp stamp = this.catalogue.stamp(ProductCaches.CATALOGUE);
		List<ProductView> fresh;
		try {
			fresh = this.edge
				.call(true,
						(deadline) -> this.inventory.withDeadlineAfter(deadline)
							.listProducts(ListProductsRequest.getDefaultInstance()))
				.getProductsList()
				.stream()
				.map(ProductView::of)
				.toList();
		}
		catch (EdgeUnavailableException | StatusRuntimeException ex) {
			return this.catalogue.orElseThrow(ProductCaches.CATALOGUE, unavailable(ex, Map.of()));
		}
		this.catalogue.remember(ProductCaches.CATALOGUE, fresh, stamp);
		return ResponseEntity.ok().cacheControl(CACHE_CONTROL).body(fresh);
	}

	@GetMapping("/{sku}")
	@Operation(summary = "One product")
	@ApiResponse(responseCode = "200", description = "The product")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
	@ApiResponse(responseCode = "404", description = "No product has this SKU")
	ResponseEntity<ProductView> product(@PathVariable String sku,
			@Parameter(description = REVALIDATE) @RequestHeader(value = HttpHeaders.CACHE_CONTROL,
					required = false) String cacheControl) {
		Optional<ResponseEntity<ProductView>> cached = revalidate(cacheControl) ? Optional.empty()
				: this.products.fresh(sku);
		if (cached.isPresent()) {
			this.hits.increment();
			return cached.get();
		}
		this.misses.increment();
		ProductCache.Stamp stamp = this.products.stamp(sku);
		ProductView fresh;
		try {
			fresh = ProductView.of(this.edge.call(true, (deadline) -> this.inventory.withDeadlineAfter(deadline)
				.getProduct(GetProductRequest.newBuilder().setSku(sku).build())));
		}
		catch (EdgeUnavailableException | StatusRuntimeException ex) {
			return this.products.orElseThrow(sku, unavailable(ex, Map.of(Status.Code.NOT_FOUND, HttpStatus.NOT_FOUND)));
		}
		this.products.remember(sku, fresh, stamp);
		return ResponseEntity.ok().cacheControl(CACHE_CONTROL).body(fresh);
	}

	/**
	 * Whether the client asks for an answer from inventory, not from the cache (RFC
	 * 9111).
	 */
	private static boolean revalidate(String cacheControl) {
		return cacheControl != null && (cacheControl.contains("no-cache") || cacheControl.contains("max-age=0"));
	}

	/** What the client would see without a fallback; only a 503 may be covered by one. */
	private static UpstreamException unavailable(RuntimeException ex, Map<Status.Code, HttpStatus> meanings) {
		if (ex instanceof EdgeUnavailableException edge) {
			return new UpstreamException(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", edge.getMessage(),
					edge.retryAfter());
		}
		return GrpcErrors.translate((StatusRuntimeException) ex, meanings);
	}

	record ProductView(String sku, String name, BigDecimal price, int available) {

		static ProductView of(Product p) {
			return new ProductView(p.getSku(), p.getName(), Money.fromCents(p.getPriceCents()), p.getAvailable());
		}

	}

}
