package dev.switchboard.shipping.application;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.switchboard.shipping.application.port.in.ListShipmentsUseCase;
import dev.switchboard.shipping.application.port.in.ShipOrdersUseCase;
import dev.switchboard.shipping.application.port.out.ShipmentRepository;
import dev.switchboard.shipping.domain.DeliveryPolicy;
import dev.switchboard.shipping.domain.Destination;
import dev.switchboard.shipping.domain.Shipment;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decides once per order whether it ships, and cancels shipments. The order id is the
 * natural key of the decision: a repeated request finds it made and gets the same answer.
 * A cancellation that comes first leaves a marker, so no shipment follows it.
 */
@Service
@Transactional
class ShippingService implements ShipOrdersUseCase, ListShipmentsUseCase {

	private final ShipmentRepository shipments;

	private final DeliveryPolicy policy;

	ShippingService(ShipmentRepository shipments,
			@Value("${switchboard.shipping.denied-countries:XX}") Set<String> deniedCountries) {
		this.shipments = shipments;
		this.policy = new DeliveryPolicy(deniedCountries);
	}

	@Override
	public Outcome ship(String orderId, String country) {
		boolean made = this.shipments.addIfAbsent(Shipment.decide(orderId, country, this.policy));
		return new Outcome(this.shipments.get(orderId), made);
	}

	@Override
	public Outcome cancel(String orderId) {
		boolean changed = this.shipments.cancelCreated(orderId);
		changed |= this.shipments.addIfAbsent(Shipment.cancelledBeforeShipping(orderId));
		return new Outcome(this.shipments.get(orderId), changed);
	}

	@Override
	public Optional<Outcome> addressKnown(String orderId, Destination destination) {
		this.shipments.rememberDestination(orderId, destination);
		return shipIfReady(orderId);
	}

	@Override
	public Optional<Outcome> stockAllocated(String orderId) {
		this.shipments.markAllocated(orderId);
		return shipIfReady(orderId);
	}

	private Optional<Outcome> shipIfReady(String orderId) {
		return this.shipments.lockReadyCountry(orderId).map((country) -> ship(orderId, country));
	}

	@Override
	@Transactional(readOnly = true)
	public List<Shipment> list(String after, int limit) {
		return this.shipments.page(after, Math.clamp(limit, 1, 10_000));
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<Shipment> find(String orderId) {
		return this.shipments.find(orderId);
	}

	@Override
	public List<Shipment> findAll(List<String> orderIds) {
		return this.shipments.findAll(orderIds);
	}

}
