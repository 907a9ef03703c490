package dev.switchboard.inventory.domain;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AllocationPolicyTest {

	private final AllocationPolicy policy = new AllocationPolicy(Set.of("TEST-ALLOCATION-FAILS"));

	private static Reservation of(String... skus) {
		return new Reservation("o-1", List.of(skus).stream().map((sku) -> new ReservedLine(sku, 1, 100)).toList(),
				ReservationState.RESERVED);
	}

	@Test
	void aReservationWithAnUnallocatableSkuIsRefusedNamingIt() {
		assertThat(this.policy.refusal(of("SKU-0001", "TEST-ALLOCATION-FAILS")))
			.contains("stock of TEST-ALLOCATION-FAILS could not be picked");
	}

	@Test
	void anyOtherReservationCanBeAllocated() {
		assertThat(this.policy.refusal(of("SKU-0001", "SKU-0002"))).isEmpty();
	}

}
