package dev.switchboard.shipping.adapter.in.web;

import java.util.List;

import dev.switchboard.shipping.application.port.in.ListShipmentsUseCase;
import dev.switchboard.shipping.domain.Shipment;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal, read-only list of shipment decisions, for operators and invariant checks,
 * page by page in order id order ({@code ?after=ORDER_ID&limit=N}).
 */
@RestController
class ShipmentsController {

	private final ListShipmentsUseCase shipments;

	ShipmentsController(ListShipmentsUseCase shipments) {
		this.shipments = shipments;
	}

	@GetMapping("/internal/shipments")
	List<Shipment> shipments(@RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.shipments.list(after, limit);
	}

}
