package dev.switchboard.inventory.domain;

/**
 * A quantity of one SKU asked for.
 */
public record StockLine(String sku, int quantity) {

	public StockLine {
		if (sku == null || sku.isBlank()) {
			throw new IllegalArgumentException("sku must not be blank");
		}
		if (quantity <= 0) {
			throw new IllegalArgumentException("quantity of " + sku + " must be positive, was " + quantity);
		}
	}

}
