package dev.switchboard.payment.adapter.in.web;

import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.HttpStatus;
import java.util.List;

import dev.switchboard.payment.application.port.in.ListPaymentsUseCase;
import dev.switchboard.payment.domain.LedgerEntry;
import dev.switchboard.payment.domain.Payment;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal, read-only list of payments, for operators and invariant checks. Not routed by
 * the gateway.
 */
@RestController
class PaymentsController {

	private static final int MAX_ORDERS = 100;

	private final ListPaymentsUseCase payments;

	PaymentsController(ListPaymentsUseCase payments) {
		this.payments = payments;
	}

	/**
	 * The payments of these orders, those that have one ({@code ?orderId=A&orderId=B}, at
	 * most 100): for the gateway's GraphQL, one call for every order of a query.
	 */
	@GetMapping(path = "/payments", params = "orderId")
	List<Payment> payments(@RequestParam List<String> orderId) {
		if (orderId.size() > MAX_ORDERS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"at most " + MAX_ORDERS + " orders at once, were " + orderId.size());
		}
		return this.payments.payments(orderId);
	}

	/**
	 * Payments by order id, a page at a time ({@code ?after=ORDER_ID&limit=N}, at most 10
	 * 000, default 1 000).
	 */
	@GetMapping("/internal/payments")
	List<Payment> payments(@RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.payments.payments(after, limit);
	}

	/**
	 * The card provider's books (test mode), for the invariant checker: the money that
	 * really moved, entry by entry, {@code limit} at a time after entry {@code after}.
	 */
	@GetMapping("/internal/provider-ledger")
	List<LedgerEntry> ledger(@RequestParam(defaultValue = "0") long after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.payments.providerLedger(after, limit);
	}

}
