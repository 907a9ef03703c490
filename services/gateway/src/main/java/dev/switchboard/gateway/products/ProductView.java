package dev.switchboard.gateway.products;

import java.math.BigDecimal;

import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.gateway.web.Money;

/** A product as API v1 shows it: the price a decimal number. */
record ProductView(String sku, String name, BigDecimal price, int available) {

	static ProductView of(Product p) {
		return new ProductView(p.getSku(), p.getName(), Money.fromCents(p.getPriceCents()), p.getAvailable());
	}

}
