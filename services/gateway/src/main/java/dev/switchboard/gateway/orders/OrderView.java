package dev.switchboard.gateway.orders;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.gateway.web.Money;

/**
 * An order as the public API shows it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OrderView(String orderId, String status, String customerId, List<Line> items, BigDecimal total,
		Address shippingAddress, String cancellationReason, String createdAt, String updatedAt) {

	static OrderView of(Order o) {
		var a = o.getShippingAddress();
		return new OrderView(o.getOrderId(), o.getStatus().name(), o.getCustomerId(),
				o.getLinesList()
					.stream()
					.map((l) -> new Line(l.getSku(), l.getQuantity(), Money.fromCents(l.getUnitPriceCents())))
					.toList(),
				Money.fromCents(o.getTotalCents()),
				new Address(a.getCountry(), a.getCity(), a.getLine1(), a.getPostalCode()),
				o.getCancellationReason().isEmpty() ? null : o.getCancellationReason(), o.getCreatedAt(),
				o.getUpdatedAt());
	}

	record Line(String sku, int quantity, BigDecimal unitPrice) {
	}

	record Address(String country, String city, String line1, String postalCode) {
	}

}
