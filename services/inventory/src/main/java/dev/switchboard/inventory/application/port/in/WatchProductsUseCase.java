package dev.switchboard.inventory.application.port.in;

import java.util.Set;

import dev.switchboard.inventory.domain.ProductWatcher;

public interface WatchProductsUseCase {

	/**
	 * Tells {@code watcher} of every change to the products {@code skus} (empty: all)
	 * from now until the watch is closed.
	 */
	Watch watch(Set<String> skus, ProductWatcher watcher);

	/** An open watch. */
	interface Watch extends AutoCloseable {

		@Override
		void close();

	}

}
