package dev.switchboard.shipping.domain;

import java.util.Optional;
import java.util.Set;

/**
 * Which destinations shipping serves: every country except those on the deny-list.
 */
public record DeliveryPolicy(Set<String> deniedCountries) {

	public DeliveryPolicy {
		deniedCountries = Set.copyOf(deniedCountries);
	}

	/** Why an address in {@code country} cannot be served, or empty when it can. */
	public Optional<String> refusal(String country) {
		if (country == null || country.isBlank()) {
			return Optional.of("no destination country");
		}
		return this.deniedCountries.contains(country) ? Optional.of("we do not deliver to " + country)
				: Optional.empty();
	}

}
