package dev.switchboard.gateway.products;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.ListProductsRequest;
import dev.switchboard.gateway.web.GrpcErrors;
import dev.switchboard.gateway.web.UpstreamException;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.EdgeUnavailableException;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The catalogue, read from inventory through the edge {@code inventory}, or from the
 * gateway's cache while that is current (see {@link ProductCache}: up to 30 s, and never
 * past a change inventory reported). When inventory cannot answer, the last answer the
 * gateway saw is served instead, marked stale; with nothing seen yet, the 503 stands.
 */
@Component
public class Catalogue {

	static final String CACHE_METER = "switchboard.gateway.product.cache";

	private final InventoryServiceGrpc.InventoryServiceBlockingStub inventory;

	private final Edge edge;

	private final ProductCache<List<ProductView>> catalogue;

	private final ProductCache<ProductView> products;

	private final Counter hits;

	private final Counter misses;

	Catalogue(InventoryServiceGrpc.InventoryServiceBlockingStub inventory, Edges edges, ProductCaches caches,
			MeterRegistry meters) {
		this.inventory = inventory;
		this.edge = edges.edge("inventory");
		this.catalogue = caches.catalogue;
		this.products = caches.products;
		this.hits = meters.counter(CACHE_METER, "result", "hit");
		this.misses = meters.counter(CACHE_METER, "result", "miss");
	}

	/** Every product; {@code revalidate}: from inventory, not from the cache. */
	ResponseEntity<List<ProductView>> all(boolean revalidate) {
		Optional<ResponseEntity<List<ProductView>>> cached = revalidate ? Optional.empty()
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
		return ResponseEntity.ok().cacheControl(ProductCache.CACHE_CONTROL).body(fresh);
	}

	/** One product; {@code revalidate}: from inventory, not from the cache. */
	ResponseEntity<ProductView> one(String sku, boolean revalidate) {
		Optional<ResponseEntity<ProductView>> cached = revalidate ? Optional.empty() : this.products.fresh(sku);
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
		return ResponseEntity.ok().cacheControl(ProductCache.CACHE_CONTROL).body(fresh);
	}

	/**
	 * The names of these products, by SKU. Names never change, so any answer the gateway
	 * kept will do, fresh or not; only for SKUs it knows nothing of is the catalogue
	 * asked for, once. Unknown SKUs, or all when inventory cannot say, are left out:
	 * callers only decorate their answers with names.
	 */
	public Map<String, String> names(Collection<String> skus) {
		Map<String, String> names = new HashMap<>();
		List<ProductView> known = this.catalogue.lastKnown(ProductCaches.CATALOGUE).orElse(List.of());
		known.forEach((product) -> names.put(product.sku(), product.name()));
		for (String sku : skus) {
			if (!names.containsKey(sku)) {
				this.products.lastKnown(sku).ifPresent((product) -> names.put(sku, product.name()));
			}
		}
		if (!names.keySet().containsAll(skus)) {
			try {
				all(false).getBody().forEach((product) -> names.put(product.sku(), product.name()));
			}
			catch (UpstreamException ex) {
				// Without names, then.
			}
		}
		names.keySet().retainAll(skus);
		return names;
	}

	/** What the client would see without a fallback; only a 503 may be covered by one. */
	private static UpstreamException unavailable(RuntimeException ex, Map<Status.Code, HttpStatus> meanings) {
		if (ex instanceof EdgeUnavailableException edge) {
			return new UpstreamException(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", edge.getMessage(),
					edge.retryAfter());
		}
		return GrpcErrors.translate((StatusRuntimeException) ex, meanings);
	}

}
