package dev.switchboard.shipping.adapter.out.persistence;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.switchboard.shipping.application.port.out.ShipmentRepository;
import dev.switchboard.shipping.domain.Destination;
import dev.switchboard.shipping.domain.Shipment;
import dev.switchboard.shipping.domain.ShipmentStatus;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

@Repository
class JdbcShipmentRepository implements ShipmentRepository {

	private static final RowMapper<Shipment> SHIPMENT = (rs, i) -> new Shipment(rs.getString("order_id"),
			rs.getString("shipment_id"), ShipmentStatus.valueOf(rs.getString("status")), rs.getString("country"),
			rs.getString("reason"));

	private final JdbcTemplate jdbc;

	JdbcShipmentRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean addIfAbsent(Shipment shipment) {
		return this.jdbc.update("""
				INSERT INTO shipments (order_id, shipment_id, status, country, reason) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (order_id) DO NOTHING""", shipment.orderId(), shipment.shipmentId(),
				shipment.status().name(), shipment.country(), shipment.reason()) == 1;
	}

	@Override
	public boolean cancelCreated(String orderId) {
		return this.jdbc.update(
				"UPDATE shipments SET status = 'CANCELLED', updated_at = now() WHERE order_id = ? AND status = 'CREATED'",
				orderId) == 1;
	}

	@Override
	public Shipment get(String orderId) {
		return this.jdbc.queryForObject(
				"SELECT order_id, shipment_id, status, country, reason FROM shipments WHERE order_id = ?", SHIPMENT,
				orderId);
	}

	@Override
	public List<Shipment> findAll(Collection<String> orderIds) {
		return this.jdbc.query(
				"SELECT order_id, shipment_id, status, country, reason FROM shipments WHERE order_id = ANY (?)",
				SHIPMENT, (Object) orderIds.toArray(String[]::new));
	}

	@Override
	public Optional<Shipment> find(String orderId) {
		return this.jdbc
			.query("SELECT order_id, shipment_id, status, country, reason FROM shipments WHERE order_id = ?", SHIPMENT,
					orderId)
			.stream()
			.findFirst();
	}

	@Override
	public List<Shipment> page(String after, int limit) {
		return this.jdbc.query("""
				SELECT order_id, shipment_id, status, country, reason FROM shipments
				WHERE order_id > ? ORDER BY order_id LIMIT ?""", SHIPMENT, after, limit);
	}

	@Override
	public void rememberDestination(String orderId, Destination destination) {
		this.jdbc.update("""
				INSERT INTO shipment_requests (order_id, country, city, line1, postal_code) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (order_id) DO UPDATE SET country = excluded.country, city = excluded.city,
				    line1 = excluded.line1, postal_code = excluded.postal_code""", orderId, destination.country(),
				destination.city(), destination.line1(), destination.postalCode());
	}

	@Override
	public void markAllocated(String orderId) {
		this.jdbc.update("""
				INSERT INTO shipment_requests (order_id, allocated) VALUES (?, true)
				ON CONFLICT (order_id) DO UPDATE SET allocated = true""", orderId);
	}

	@Override
	public Optional<String> lockReadyCountry(String orderId) {
		return this.jdbc.queryForList(
				"SELECT country FROM shipment_requests WHERE order_id = ? AND allocated AND country IS NOT NULL FOR UPDATE",
				String.class, orderId)
			.stream()
			.findFirst();
	}

}
