package dev.switchboard.shipping.adapter.in.web;

import java.util.List;

import dev.switchboard.shipping.application.port.in.ListShipmentsUseCase;
import dev.switchboard.shipping.domain.Shipment;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Read-only views of shipment decisions: all of them page by page in order id order
 * ({@code ?after=ORDER_ID&limit=N}), for operators and invariant checks; one order's, for
 * the gateway's order pages (its backends for frontends).
 */
@RestController
class ShipmentsController {

	private static final int MAX_ORDERS = 100;

	private final ListShipmentsUseCase shipments;

	ShipmentsController(ListShipmentsUseCase shipments) {
		this.shipments = shipments;
	}

	@GetMapping("/internal/shipments")
	List<Shipment> shipments(@RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.shipments.list(after, limit);
	}

	/**
	 * The decisions of these orders, those that have one ({@code ?orderId=A&orderId=B},
	 * at most 100): for the gateway's GraphQL, one call for every order of a query.
	 */
	@GetMapping(path = "/shipments", params = "orderId")
	List<Shipment> shipments(@RequestParam List<String> orderId) {
		if (orderId.size() > MAX_ORDERS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"at most " + MAX_ORDERS + " orders at once, were " + orderId.size());
		}
		return this.shipments.findAll(orderId);
	}

	@GetMapping("/shipments/{orderId}")
	Shipment shipment(@PathVariable String orderId) {
		return this.shipments.find(orderId)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"no shipment decision for order " + orderId + " (yet)"));
	}

}
