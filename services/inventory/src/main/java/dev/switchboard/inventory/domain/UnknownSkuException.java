package dev.switchboard.inventory.domain;

public class UnknownSkuException extends RuntimeException {

	private final String sku;

	public UnknownSkuException(String sku) {
		super("unknown SKU: " + sku);
		this.sku = sku;
	}

	public String sku() {
		return this.sku;
	}

}
