package dev.switchboard.gateway.products;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.gateway.web.UpstreamException;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;

/**
 * The catalogue in GraphQL (schema: {@code graphql/schema.graphqls}), read as REST reads
 * it: from the gateway's cache while it is current, else from inventory.
 */
@Controller
class ProductGraph {

	private final Catalogue catalogue;

	ProductGraph(Catalogue catalogue) {
		this.catalogue = catalogue;
	}

	@QueryMapping
	List<ProductViewV2> products() {
		return this.catalogue.all(false).getBody().stream().map(ProductViewV2::of).toList();
	}

	@QueryMapping
	ProductViewV2 product(@Argument String sku) {
		try {
			return ProductViewV2.of(this.catalogue.one(sku, false).getBody());
		}
		catch (UpstreamException ex) {
			if (ex.status() == HttpStatus.NOT_FOUND) {
				return null;
			}
			throw ex;
		}
	}

	/**
	 * The products of every line of a query's orders at once: one read of the catalogue
	 * (most often none: it is the cached one), never one per line.
	 */
	@BatchMapping(typeName = "OrderLine", field = "product")
	Map<ProductReference, ProductViewV2> product(List<ProductReference> lines) {
		Map<String, ProductViewV2> bySku = new HashMap<>();
		this.catalogue.all(false).getBody().forEach((p) -> bySku.put(p.sku(), ProductViewV2.of(p)));
		Map<ProductReference, ProductViewV2> products = new HashMap<>();
		lines.stream()
			.filter((line) -> bySku.containsKey(line.sku()))
			.forEach((line) -> products.put(line, bySku.get(line.sku())));
		return products;
	}

}
