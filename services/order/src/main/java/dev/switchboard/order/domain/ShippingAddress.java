package dev.switchboard.order.domain;

/**
 * Where an order goes. {@code country} is an ISO 3166-1 alpha-2 code.
 */
public record ShippingAddress(String country, String city, String line1, String postalCode) {

	public ShippingAddress {
		if (country == null || !country.matches("[A-Z]{2}")) {
			throw new InvalidOrderException("shippingAddress.country must be a two-letter upper-case country code");
		}
		require(city, "shippingAddress.city");
		require(line1, "shippingAddress.line1");
		require(postalCode, "shippingAddress.postalCode");
	}

	private static void require(String value, String field) {
		if (value == null || value.isBlank()) {
			throw new InvalidOrderException(field + " must not be blank");
		}
	}

}
