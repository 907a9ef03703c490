package dev.switchboard.shipping.application.port.in;

import java.util.List;
import java.util.Optional;

import dev.switchboard.shipping.domain.Shipment;

/**
 * Every shipment decision, page by page in order id order, for operators and invariant
 * checks.
 */
public interface ListShipmentsUseCase {

	/**
	 * Up to {@code limit} (clamped to 1..10,000) shipments whose order id sorts after
	 * {@code after}.
	 */
	List<Shipment> list(String after, int limit);

	/** The order's shipment decision, if it has one yet. */
	Optional<Shipment> find(String orderId);

	/** The decisions of those of these orders that have one, in one read. */
	List<Shipment> findAll(List<String> orderIds);

}
