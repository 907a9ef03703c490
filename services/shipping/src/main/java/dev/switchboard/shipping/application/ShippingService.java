package dev.switchboard.shipping.application;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.switchboard.shipping.domain.DeliveryPolicy;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decides once per order whether it ships, and cancels shipments. The order id is the
 * natural key of the decision: a repeated request finds it made and gets the same
 * answer. A cancellation that comes first leaves a marker, so no shipment follows it.
 */
@Service
@Transactional
public class ShippingService {

	private final JdbcTemplate jdbc;

	private final DeliveryPolicy policy;

	ShippingService(JdbcTemplate jdbc,
			@Value("${switchboard.shipping.denied-countries:XX}") Set<String> deniedCountries) {
		this.jdbc = jdbc;
		this.policy = new DeliveryPolicy(deniedCountries);
	}

	/** Ships the order to {@code country} unless it was decided before. */
	public Shipment ship(String orderId, String country) {
		Optional<String> refusal = this.policy.refusal(country);
		boolean made = this.jdbc.update("""
				INSERT INTO shipments (order_id, shipment_id, status, country, reason) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (order_id) DO NOTHING""", orderId, UUID.randomUUID().toString(),
				refusal.isPresent() ? "REJECTED" : "CREATED", country, refusal.orElse(null)) == 1;
		return find(orderId, made);
	}

	/**
	 * Cancels the order's shipment, or makes sure none will be made.
	 * @return the shipment afterwards; {@code made} when this call changed it
	 */
	public Shipment cancel(String orderId) {
		boolean changed = this.jdbc.update(
				"UPDATE shipments SET status = 'CANCELLED', updated_at = now() WHERE order_id = ? AND status = 'CREATED'",
				orderId) == 1;
		changed |= this.jdbc.update("""
				INSERT INTO shipments (order_id, shipment_id, status, country, reason)
				VALUES (?, ?, 'CANCELLED', '', 'cancelled before shipping') ON CONFLICT (order_id) DO NOTHING""",
				orderId, UUID.randomUUID().toString()) == 1;
		return find(orderId, changed);
	}

	/**
	 * Choreography: remembers where a created order goes, and ships it if its stock is
	 * allocated already.
	 */
	public Optional<Shipment> addressKnown(String orderId, String country, String city, String line1,
			String postalCode) {
		this.jdbc.update("""
				INSERT INTO shipment_requests (order_id, country, city, line1, postal_code) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (order_id) DO UPDATE SET country = excluded.country, city = excluded.city,
				    line1 = excluded.line1, postal_code = excluded.postal_code""", orderId, country, city, line1,
				postalCode);
		return shipIfReady(orderId);
	}

	/** Choreography: notes that the order's stock is allocated, and ships if the address is known. */
	public Optional<Shipment> stockAllocated(String orderId) {
		this.jdbc.update("""
				INSERT INTO shipment_requests (order_id, allocated) VALUES (?, true)
				ON CONFLICT (order_id) DO UPDATE SET allocated = true""", orderId);
		return shipIfReady(orderId);
	}

	private Optional<Shipment> shipIfReady(String orderId) {
		List<String> country = this.jdbc.queryForList(
				"SELECT country FROM shipment_requests WHERE order_id = ? AND allocated AND country IS NOT NULL FOR UPDATE",
				String.class, orderId);
		return country.isEmpty() ? Optional.empty() : Optional.of(ship(orderId, country.getFirst()));
	}

	private Shipment find(String orderId, boolean made) {
		return this.jdbc.queryForObject("SELECT shipment_id, status, reason FROM shipments WHERE order_id = ?",
				(rs, i) -> new Shipment(orderId, rs.getString(1), rs.getString(2), rs.getString(3), made), orderId);
	}

	/**
	 * @param status {@code CREATED}, {@code REJECTED} or {@code CANCELLED}
	 * @param made whether the call that returned it made or changed it
	 */
	public record Shipment(String orderId, String shipmentId, String status, String reason, boolean made) {

		public boolean created() {
			return "CREATED".equals(this.status);
		}

	}

}
