package dev.switchboard.shipping.domain;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPolicyTest {

	private final DeliveryPolicy policy = new DeliveryPolicy(Set.of("XX", "YY"));

	@Test
	void refusesDeniedCountriesWithAReason() {
		assertThat(this.policy.refusal("XX")).contains("we do not deliver to XX");
	}

	@Test
	void servesEveryOtherCountry() {
		assertThat(this.policy.refusal("US")).isEmpty();
		assertThat(this.policy.refusal("DE")).isEmpty();
	}

	@Test
	void refusesAMissingCountry() {
		assertThat(this.policy.refusal("")).isPresent();
	}

}
