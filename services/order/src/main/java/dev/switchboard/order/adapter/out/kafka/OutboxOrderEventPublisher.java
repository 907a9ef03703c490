package dev.switchboard.order.adapter.out.kafka;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.Line;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.events.v1.ShippingAddress;
import dev.switchboard.contracts.events.v1.TaxLine;
import dev.switchboard.order.application.port.out.OrderEventPublisher;
import dev.switchboard.order.domain.IncludedTax;
import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.saga.SagaMode;
import dev.switchboard.platform.outbox.Outbox;

import org.springframework.stereotype.Component;

/**
 * Order events onto {@link Topics#ORDER_EVENTS} (this service is its only writer),
 * through the outbox and keyed by order id; those that start or cancel a choreographed
 * saga also onto {@link Topics#ORDER_CHOREOGRAPHY}, for its participants.
 */
@Component
class OutboxOrderEventPublisher implements OrderEventPublisher {

	private final Outbox outbox;

	OutboxOrderEventPublisher(Outbox outbox) {
		this.outbox = outbox;
	}

	@Override
	public String created(Order order, String paymentToken, SagaMode mode) {
		return publishToSaga(order, mode,
				OrderCreated.newBuilder()
					.setOrderId(order.id())
					.setCustomerId(order.customerId())
					.addAllLines(lines(order))
					.setTotalCents(order.totalCents())
					.setPaymentToken(paymentToken)
					.setShippingAddress(address(order))
					.setSagaMode(sagaMode(mode))
					.setCurrency(IncludedTax.CURRENCY)
					.addAllTaxLines(IncludedTax.of(order.shippingAddress().country(), order.totalCents())
						.stream()
						.map((tax) -> TaxLine.newBuilder()
							.setName(tax.name())
							.setRateBasisPoints(tax.rateBasisPoints())
							.setAmountCents(tax.amountCents())
							.build())
						.toList())
					.build());
	}

	@Override
	public void completed(Order order, String shipmentId) {
		publish(order,
				OrderCompleted.newBuilder()
					.setOrderId(order.id())
					.setCustomerId(order.customerId())
					.setTotalCents(order.totalCents())
					.setShipmentId(shipmentId == null ? "" : shipmentId)
					.build());
	}

	@Override
	public void cancelled(Order order, SagaMode mode) {
		publishToSaga(order, mode, cancellation(order, mode));
	}

	private static OrderCancelled cancellation(Order order, SagaMode mode) {
		return OrderCancelled.newBuilder()
			.setOrderId(order.id())
			.setCustomerId(order.customerId())
			.setTotalCents(order.totalCents())
			.setReason(order.cancellationReason())
			.setSagaMode(sagaMode(mode))
			.build();
	}

	@Override
	public void cancellationRepeated(Order order) {
		this.outbox.add(Topics.ORDER_CHOREOGRAPHY, order.id(), cancellation(order, SagaMode.CHOREOGRAPHY));
	}

	private void publish(Order order, com.google.protobuf.Message event) {
		this.outbox.add(Topics.ORDER_EVENTS, order.id(), event);
	}

	/**
	 * An event the saga's participants act on: for a choreographed saga, onto their topic
	 * too. Returns the id of that copy, {@code null} when there is none.
	 */
	private String publishToSaga(Order order, SagaMode mode, com.google.protobuf.Message event) {
		publish(order, event);
		return (mode == SagaMode.CHOREOGRAPHY) ? this.outbox.add(Topics.ORDER_CHOREOGRAPHY, order.id(), event) : null;
	}

	private static Iterable<Line> lines(Order order) {
		return order.lines()
			.stream()
			.map((l) -> Line.newBuilder()
				.setSku(l.sku())
				.setQuantity(l.quantity())
				.setUnitPriceCents(l.unitPriceCents())
				.build())
			.toList();
	}

	private static dev.switchboard.contracts.events.v1.SagaMode sagaMode(SagaMode mode) {
		return dev.switchboard.contracts.events.v1.SagaMode.valueOf(mode.name());
	}

	static ShippingAddress address(Order order) {
		var a = order.shippingAddress();
		return ShippingAddress.newBuilder()
			.setCountry(a.country())
			.setCity(a.city())
			.setLine1(a.line1())
			.setPostalCode(a.postalCode())
			.build();
	}

}
