package dev.switchboard.order.domain;

import java.util.List;
import java.util.Map;

/**
 * A tax included in an order's total: catalogue prices include VAT where the destination
 * charges one (a demo table of a few countries); elsewhere, as for US sales tax, nothing
 * is included and the order has no tax line.
 *
 * @param rateBasisPoints 1900 is 19 %
 */
public record IncludedTax(String name, int rateBasisPoints, long amountCents) {

	/** The currency of every amount in the platform (ISO 4217). */
	public static final String CURRENCY = "USD";

	private static final Map<String, Integer> VAT = Map.of("DE", 1900, "FR", 2000, "GB", 2000, "NL", 2100, "ES", 2100,
			"IT", 2200);

	/**
	 * The taxes a total shipped to {@code country} includes, rounded half up to the cent.
	 */
	public static List<IncludedTax> of(String country, long totalCents) {
		Integer rate = VAT.get(country);
		if (rate == null) {
			return List.of();
		}
		long divisor = 10_000L + rate;
		long amount = (2 * totalCents * rate + divisor) / (2 * divisor);
		return List.of(new IncludedTax("VAT", rate, amount));
	}

}
