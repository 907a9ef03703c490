package dev.switchboard.order.domain;

/**
 * A SKU and quantity of an order, priced from the catalogue when stock was reserved.
 */
public record OrderLine(String sku, int quantity, long unitPriceCents) {

	/** The most units of one SKU a single order may ask for. */
	public static final int MAX_QUANTITY = 1000;

	/** The longest SKU (the contract's). */
	public static final int MAX_SKU_LENGTH = 64;

	public OrderLine {
		Text.require(sku, "items[].sku", MAX_SKU_LENGTH);
		if (quantity < 1 || quantity > MAX_QUANTITY) {
			throw new InvalidOrderException("items[].quantity of " + sku + " must be between 1 and " + MAX_QUANTITY);
		}
	}

	public long totalCents() {
		return Math.multiplyExact(this.unitPriceCents, this.quantity);
	}

}
