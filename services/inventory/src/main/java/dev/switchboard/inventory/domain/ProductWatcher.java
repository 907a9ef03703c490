package dev.switchboard.inventory.domain;

/**
 * Told of product changes as they commit. Calls may come from different threads and must
 * not block.
 */
public interface ProductWatcher {

	void changed(ProductChange change);

	/**
	 * Every change from here on will be told, and changes before may have been missed:
	 * the first call of a watch, and again after the feed lost its source for a while.
	 */
	void resync();

}
