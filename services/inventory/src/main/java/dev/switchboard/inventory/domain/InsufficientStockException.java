package dev.switchboard.inventory.domain;

public class InsufficientStockException extends RuntimeException {

	public InsufficientStockException(String sku, int requested, int available) {
		super("not enough stock for " + sku + ": requested " + requested + ", available " + available);
	}

}
