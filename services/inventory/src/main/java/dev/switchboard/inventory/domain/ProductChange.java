package dev.switchboard.inventory.domain;

/**
 * A product's stock or price as it became when a change committed.
 */
public record ProductChange(String sku, int available, long priceCents) {

	/**
	 * The change as announced by the database: {@code "<sku> <available> <price_cents>"}.
	 * @throws IllegalArgumentException when {@code text} is not one
	 */
	public static ProductChange parse(String text) {
		int priceAt = text.lastIndexOf(' ');
		int availableAt = (priceAt > 0) ? text.lastIndexOf(' ', priceAt - 1) : -1;
		if (availableAt <= 0) {
			throw new IllegalArgumentException("not a product change: '" + text + "'");
		}
		try {
			return new ProductChange(text.substring(0, availableAt),
					Integer.parseInt(text.substring(availableAt + 1, priceAt)),
					Long.parseLong(text.substring(priceAt + 1)));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("not a product change: '" + text + "'", ex);
		}
	}

}
