package dev.switchboard.inventory.application;

import java.util.Set;

import dev.switchboard.inventory.application.port.in.WatchProductsUseCase;
import dev.switchboard.inventory.application.port.out.ProductChangeFeed;
import dev.switchboard.inventory.domain.ProductChange;
import dev.switchboard.inventory.domain.ProductWatcher;

import org.springframework.stereotype.Service;

@Service
class ProductWatchService implements WatchProductsUseCase {

	private final ProductChangeFeed feed;

	ProductWatchService(ProductChangeFeed feed) {
		this.feed = feed;
	}

	@Override
	public Watch watch(Set<String> skus, ProductWatcher watcher) {
		if (skus.isEmpty()) {
			return this.feed.subscribe(watcher)::cancel;
		}
		Set<String> only = Set.copyOf(skus);
		ProductChangeFeed.Subscription subscription = this.feed.subscribe(new ProductWatcher() {

			@Override
			public void changed(ProductChange change) {
				if (only.contains(change.sku())) {
					watcher.changed(change);
				}
			}

			@Override
			public void resync() {
				watcher.resync();
			}

		});
		return subscription::cancel;
	}

}
