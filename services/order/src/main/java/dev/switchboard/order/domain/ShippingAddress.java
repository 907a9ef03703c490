package dev.switchboard.order.domain;

/**
 * Where an order goes. {@code country} is an ISO 3166-1 alpha-2 code. The sizes are those
 * the gateway's API documents, checked here too because the gateway is not the only way
 * in: every order event carries the address, and an oversized one must never reach the
 * outbox.
 */
public record ShippingAddress(String country, String city, String line1, String postalCode) {

	public ShippingAddress {
		if (country == null || !country.matches("[A-Z]{2}")) {
			throw new InvalidOrderException("shippingAddress.country must be a two-letter upper-case country code");
		}
		Text.require(city, "shippingAddress.city", 200);
		Text.require(line1, "shippingAddress.line1", 200);
		Text.require(postalCode, "shippingAddress.postalCode", 20);
	}

}
