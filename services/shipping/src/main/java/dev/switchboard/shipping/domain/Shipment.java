package dev.switchboard.shipping.domain;

import java.util.Optional;
import java.util.UUID;

/**
 * The one shipment decision an order gets; the order id is its natural key.
 *
 * @param reason why it was refused or cancelled; {@code null} for a created shipment
 */
public record Shipment(String orderId, String shipmentId, ShipmentStatus status, String country, String reason) {

	/**
	 * The decision the policy makes for an order going to {@code country}, with a new
	 * shipment id.
	 */
	public static Shipment decide(String orderId, String country, DeliveryPolicy policy) {
		Optional<String> refusal = policy.refusal(country);
		return new Shipment(orderId, UUID.randomUUID().toString(),
				refusal.isPresent() ? ShipmentStatus.REJECTED : ShipmentStatus.CREATED, country, refusal.orElse(null));
	}

	/**
	 * The marker left by a cancellation that came before any decision, so none follows
	 * it.
	 */
	public static Shipment cancelledBeforeShipping(String orderId) {
		return new Shipment(orderId, UUID.randomUUID().toString(), ShipmentStatus.CANCELLED, "",
				"cancelled before shipping");
	}

	public boolean created() {
		return this.status == ShipmentStatus.CREATED;
	}

}
