package dev.switchboard.inventory.domain;

/**
 * A quantity of one SKU asked for.
 */
public record StockLine(String sku, int quantity) {

	/** The longest SKU (the public contract's). */
	public static final int MAX_SKU_LENGTH = 64;

	public StockLine {
		if (sku == null || sku.isBlank() || sku.length() > MAX_SKU_LENGTH) {
			throw new InvalidReservationException("sku must be 1 to " + MAX_SKU_LENGTH + " characters, not blank");
		}
		if (quantity <= 0) {
			throw new InvalidReservationException("quantity of " + sku + " must be positive, was " + quantity);
		}
	}

}
