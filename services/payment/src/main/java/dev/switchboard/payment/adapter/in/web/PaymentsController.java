package dev.switchboard.payment.adapter.in.web;

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

	private final ListPaymentsUseCase payments;

	PaymentsController(ListPaymentsUseCase payments) {
		this.payments = payments;
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
