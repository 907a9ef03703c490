package dev.switchboard.inventory.application.port.out;

import dev.switchboard.inventory.domain.ProductWatcher;

/**
 * Every committed change of a product's stock or price, whoever made it.
 */
public interface ProductChangeFeed {

	Subscription subscribe(ProductWatcher watcher);

	/** Until cancelled. */
	interface Subscription {

		void cancel();

	}

}
