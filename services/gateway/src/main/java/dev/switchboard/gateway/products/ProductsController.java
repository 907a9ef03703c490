package dev.switchboard.gateway.products;

import java.util.List;
import java.util.function.Function;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalogue ({@link Catalogue}), in API v1 (prices as numbers) and v2 (prices as
 * amounts with their currency). Answers may be kept by clients for 30 s
 * ({@code Cache-Control}) and carry an {@code ETag} (web.ConditionalReads), so a client
 * that asks again gets a 304 if nothing changed.
 */
@Tag(name = "products", description = "The catalogue: public")
@RestController
class ProductsController {

	private static final String REVALIDATE = "no-cache (or max-age=0): answer from inventory, not from the "
			+ "gateway's cache (the last known answer still covers inventory's absence)";

	private static final String ALL = "Every product with its price and the units available. When inventory "
			+ "cannot answer, the last catalogue the gateway saw, marked stale (Switchboard-Stale: true, with its Age).";

	private final Catalogue catalogue;

	ProductsController(Catalogue catalogue) {
		this.catalogue = catalogue;
	}

	@GetMapping(path = "/api/{version}/products", version = "v1")
	@Operation(summary = "The catalogue", description = ALL)
	@ApiResponse(responseCode = "200", description = "The catalogue")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
	ResponseEntity<List<ProductView>> products(@Parameter(description = REVALIDATE) @RequestHeader(
			value = HttpHeaders.CACHE_CONTROL, required = false) String cacheControl) {
		return this.catalogue.all(revalidate(cacheControl));
	}

	@GetMapping(path = "/api/{version}/products", version = "v2")
	@Operation(summary = "The catalogue", description = ALL)
	@ApiResponse(responseCode = "200", description = "The catalogue")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
	ResponseEntity<List<ProductViewV2>> productsV2(@Parameter(description = REVALIDATE) @RequestHeader(
			value = HttpHeaders.CACHE_CONTROL, required = false) String cacheControl) {
		return map(this.catalogue.all(revalidate(cacheControl)),
				(products) -> products.stream().map(ProductViewV2::of).toList());
	}

	@GetMapping(path = "/api/{version}/products/{sku}", version = "v1")
	@Operation(summary = "One product")
	@ApiResponse(responseCode = "200", description = "The product")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
	@ApiResponse(responseCode = "404", description = "No product has this SKU")
	ResponseEntity<ProductView> product(@PathVariable String sku,
			@Parameter(description = REVALIDATE) @RequestHeader(value = HttpHeaders.CACHE_CONTROL,
					required = false) String cacheControl) {
		return this.catalogue.one(sku, revalidate(cacheControl));
	}

	@GetMapping(path = "/api/{version}/products/{sku}", version = "v2")
	@Operation(summary = "One product")
	@ApiResponse(responseCode = "200", description = "The product")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
	@ApiResponse(responseCode = "404", description = "No product has this SKU")
	ResponseEntity<ProductViewV2> productV2(@PathVariable String sku,
			@Parameter(description = REVALIDATE) @RequestHeader(value = HttpHeaders.CACHE_CONTROL,
					required = false) String cacheControl) {
		return map(this.catalogue.one(sku, revalidate(cacheControl)), ProductViewV2::of);
	}

	/**
	 * Whether the client asks for an answer from inventory, not from the cache (RFC
	 * 9111).
	 */
	private static boolean revalidate(String cacheControl) {
		return cacheControl != null && (cacheControl.contains("no-cache") || cacheControl.contains("max-age=0"));
	}

	/** The same answer, headers and all, with its body in another form. */
	private static <T, R> ResponseEntity<R> map(ResponseEntity<T> answer, Function<T, R> form) {
		return ResponseEntity.status(answer.getStatusCode())
			.headers(answer.getHeaders())
			.body(form.apply(answer.getBody()));
	}

}
