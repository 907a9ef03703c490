package dev.switchboard.inventory.domain;

/**
 * A catalogue entry with the stock that can still be ordered.
 */
public record Product(String sku, String name, long priceCents, int available) {
}
