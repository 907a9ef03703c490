package dev.switchboard.shipping.application.port.out;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.switchboard.shipping.domain.Destination;
import dev.switchboard.shipping.domain.Shipment;

/** Where shipment decisions and choreography's half-known requests are kept. */
public interface ShipmentRepository {

	/** Stores the decision unless the order has one already; {@code true} when stored. */
	boolean addIfAbsent(Shipment shipment);

	/** Cancels the order's shipment if it is CREATED; {@code true} when it was. */
	boolean cancelCreated(String orderId);

	/** The order's decision; it must exist. */
	Shipment get(String orderId);

	/** The order's decision, if it has one. */
	Optional<Shipment> find(String orderId);

	/** The decisions of those of these orders that have one. */
	List<Shipment> findAll(Collection<String> orderIds);

	List<Shipment> page(String after, int limit);

	/** Records (or corrects) where a choreographed order goes. */
	void rememberDestination(String orderId, Destination destination);

	/** Records that a choreographed order's stock is allocated. */
	void markAllocated(String orderId);

	/**
	 * The destination country of an order whose address is known and stock allocated,
	 * locking its request until the transaction ends; empty while either is missing.
	 */
	Optional<String> lockReadyCountry(String orderId);

}
