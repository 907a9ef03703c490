package dev.switchboard.inventory.domain;

import java.util.Optional;
import java.util.Set;

/**
 * Which reservations cannot be allocated. In this demo warehouse, stock of the SKUs on
 * the configured list is never found when picking (a test product, like the card test
 * tokens), which lets one try the saga's allocation failure.
 */
public final class AllocationPolicy {

	private final Set<String> unallocatableSkus;

	public AllocationPolicy(Set<String> unallocatableSkus) {
		this.unallocatableSkus = Set.copyOf(unallocatableSkus);
	}

	/** Why the reservation cannot be allocated; empty when it can. */
	public Optional<String> refusal(Reservation reservation) {
		return reservation.lines()
			.stream()
			.map(ReservedLine::sku)
			.filter(this.unallocatableSkus::contains)
			.findFirst()
			.map((sku) -> "stock of " + sku + " could not be picked");
	}

}
