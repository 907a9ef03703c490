package dev.switchboard.gateway.products;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The catalogue's and each product's cached answers, kept current by
 * {@link InventoryWatch}.
 */
@Component
class ProductCaches {

	static final String CATALOGUE = "";

	final ProductCache<List<ProductView>> catalogue;

	final ProductCache<ProductView> products;

	@Autowired
	ProductCaches(@Value("${switchboard.gateway.product-cache.time-to-live:30s}") Duration timeToLive) {
		this(timeToLive, InstantSource.system());
	}

	ProductCaches(Duration timeToLive, InstantSource clock) {
		this.catalogue = new ProductCache<>(timeToLive, clock);
		this.products = new ProductCache<>(timeToLive, clock);
	}

	void changed(String sku) {
		this.products.changed(sku);
		this.catalogue.changed(CATALOGUE);
	}

	void resync(boolean watching) {
		this.products.resync(watching);
		this.catalogue.resync(watching);
	}

}
