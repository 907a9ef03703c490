package dev.switchboard.gateway.products;

import java.math.BigDecimal;
import java.time.Duration;
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

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/products")
class ProductsController {

	private final InventoryServiceGrpc.InventoryServiceBlockingStub inventory;

	private final Duration deadline;

	ProductsController(InventoryServiceGrpc.InventoryServiceBlockingStub inventory,
			@Value("${switchboard.deadlines.read}") Duration deadline) {
		this.inventory = inventory;
		this.deadline = deadline;
	}

	@GetMapping
	List<ProductView> products() {
		try {
			return this.inventory.withDeadlineAfter(this.deadline)
				.listProducts(ListProductsRequest.getDefaultInstance())
				.getProductsList()
				.stream()
				.map(ProductView::of)
				.toList();
		}
		catch (StatusRuntimeException ex) {
			throw GrpcErrors.translate(ex, Map.of());
		}
	}

	@GetMapping("/{sku}")
	ProductView product(@PathVariable String sku) {
		try {
			return ProductView
				.of(this.inventory.withDeadlineAfter(this.deadline).getProduct(GetProductRequest.newBuilder().setSku(sku).build()));
		}
		catch (StatusRuntimeException ex) {
			throw GrpcErrors.translate(ex, Map.of(Status.Code.NOT_FOUND, HttpStatus.NOT_FOUND));
		}
	}

	record ProductView(String sku, String name, BigDecimal price, int available) {

		static ProductView of(Product p) {
			return new ProductView(p.getSku(), p.getName(), Money.fromCents(p.getPriceCents()), p.getAvailable());
		}

	}

}
