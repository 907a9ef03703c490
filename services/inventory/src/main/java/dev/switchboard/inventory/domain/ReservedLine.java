package dev.switchboard.inventory.domain;

/**
 * A quantity of one SKU taken from available stock, at the price it had then.
 */
public record ReservedLine(String sku, int quantity, long unitPriceCents) {
}
