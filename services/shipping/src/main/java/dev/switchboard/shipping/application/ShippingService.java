package dev.switchboard.shipping.application;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderPaid;
import dev.switchboard.contracts.events.v1.ShipmentCreated;
import dev.switchboard.contracts.events.v1.ShipmentRejected;
import dev.switchboard.platform.outbox.Outbox;
import dev.switchboard.shipping.domain.DeliveryPolicy;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decides once per paid order whether it ships. The order id is the natural key of that
 * decision: a redelivered OrderPaid finds it made and does nothing.
 */
@Service
@Transactional
public class ShippingService {

	private final JdbcTemplate jdbc;

	private final Outbox outbox;

	private final DeliveryPolicy policy;

	ShippingService(JdbcTemplate jdbc, Outbox outbox,
			@Value("${switchboard.shipping.denied-countries:XX}") Set<String> deniedCountries) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.policy = new DeliveryPolicy(deniedCountries);
	}

	public void ship(OrderPaid order) {
		String country = order.getShippingAddress().getCountry();
		Optional<String> refusal = this.policy.refusal(country);
		String shipmentId = UUID.randomUUID().toString();
		boolean decided = this.jdbc.update("""
				INSERT INTO shipments (order_id, shipment_id, status, country, reason) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (order_id) DO NOTHING""", order.getOrderId(), shipmentId,
				refusal.isPresent() ? "REJECTED" : "CREATED", country, refusal.orElse(null)) == 1;
		if (!decided) {
			return;
		}
		if (refusal.isPresent()) {
			this.outbox.add(Topics.SHIPPING_EVENTS, order.getOrderId(),
					ShipmentRejected.newBuilder().setOrderId(order.getOrderId()).setReason(refusal.get()).build());
		}
		else {
			this.outbox.add(Topics.SHIPPING_EVENTS, order.getOrderId(),
					ShipmentCreated.newBuilder().setOrderId(order.getOrderId()).setShipmentId(shipmentId).build());
		}
	}

}
