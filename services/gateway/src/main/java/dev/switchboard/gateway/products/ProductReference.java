package dev.switchboard.gateway.products;

/**
 * Anything that names a product by its SKU (an order's line), so that GraphQL can load
 * the products of many in one read ({@link ProductGraph}).
 */
public interface ProductReference {

	String sku();

}
