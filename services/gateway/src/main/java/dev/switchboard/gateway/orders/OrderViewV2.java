package dev.switchboard.gateway.orders;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.gateway.orders.OrderView.Address;
import dev.switchboard.gateway.products.ProductReference;
import dev.switchboard.gateway.web.Amount;

/**
 * An order as API v2 shows it: amounts with their currency, and lines (v1's items) with
 * their product's name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OrderViewV2(String orderId, String status, String customerId, List<LineV2> lines, Amount total,
		Address shippingAddress, String cancellationReason, String createdAt, String updatedAt) {

	/** {@code names}: product names by SKU; a line whose SKU is missing has no name. */
	static OrderViewV2 of(Order o, Map<String, String> names) {
		OrderView v1 = OrderView.of(o);
		return new OrderViewV2(v1.orderId(), v1.status(), v1.customerId(),
				o.getLinesList()
					.stream()
					.map((l) -> new LineV2(l.getSku(), names.get(l.getSku()), l.getQuantity(),
							Amount.ofCents(l.getUnitPriceCents())))
					.toList(),
				Amount.ofCents(o.getTotalCents()), v1.shippingAddress(), v1.cancellationReason(), v1.createdAt(),
				v1.updatedAt());
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record LineV2(String sku, String name, int quantity, Amount unitPrice) implements ProductReference {
	}

}
