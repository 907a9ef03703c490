package dev.switchboard.gateway.products;

import dev.switchboard.gateway.web.Amount;

/** A product as API v2 shows it: the price an {@link Amount}. */
record ProductViewV2(String sku, String name, Amount price, int available) {

	static ProductViewV2 of(ProductView v1) {
		return new ProductViewV2(v1.sku(), v1.name(), Amount.of(v1.price()), v1.available());
	}

}
