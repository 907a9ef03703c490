package dev.switchboard.gateway.products;

import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.math.BigDecimal;
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

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalogue, read from inventory through the edge {@code inventory}. When inventory
 * cannot answer, the last answer the gateway saw is served instead, marked stale (see
 * {@link LastKnown}); with nothing seen yet, the client gets the 503.
 */
@Tag(name = "products", description = "The catalogue: public")
@RestController
@RequestMapping("/api/v1/products")
class ProductsController {

	private final InventoryServiceGrpc.InventoryServiceBlockingStub inventory;

	private final Edge edge;

	private final LastKnown<List<ProductView>> catalogue = new LastKnown<>();

	private final LastKnown<ProductView> products = new LastKnown<>();

	ProductsController(InventoryServiceGrpc.InventoryServiceBlockingStub inventory, Edges edges) {
		this.inventory = inventory;
		this.edge = edges.edge("inventory");
	}

	@GetMapping
	@Operation(summary = "The catalogue", description = "Every product with its price and the units available. "
			+ "When inventory cannot answer, the last catalogue the gateway saw, marked stale (Warning header).")
	@ApiResponse(responseCode = "200", description = "The catalogue")
	ResponseEntity<List<ProductView>> products() {
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
			return this.catalogue.orElseThrow("", unavailable(ex, Map.of()));
		}
		this.catalogue.remember("", fresh);
		fresh.forEach((p) -> this.products.remember(p.sku(), p));
		return ResponseEntity.ok(fresh);
	}

	@GetMapping("/{sku}")
	@Operation(summary = "One product")
	@ApiResponse(responseCode = "200", description = "The product")
	@ApiResponse(responseCode = "404", description = "No product has this SKU")
	ResponseEntity<ProductView> product(@PathVariable String sku) {
		ProductView fresh;
		try {
			fresh = ProductView.of(this.edge.call(true, (deadline) -> this.inventory.withDeadlineAfter(deadline)
				.getProduct(GetProductRequest.newBuilder().setSku(sku).build())));
		}
		catch (EdgeUnavailableException | StatusRuntimeException ex) {
			return this.products.orElseThrow(sku, unavailable(ex, Map.of(Status.Code.NOT_FOUND, HttpStatus.NOT_FOUND)));
		}
		this.products.remember(sku, fresh);
		return ResponseEntity.ok(fresh);
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
