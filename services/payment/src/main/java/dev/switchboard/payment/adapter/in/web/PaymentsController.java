package dev.switchboard.payment.adapter.in.web;

import java.util.List;

import dev.switchboard.payment.application.port.out.CardProvider;
import dev.switchboard.payment.application.port.out.PaymentRepository;
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

	private final PaymentRepository payments;

	private final CardProvider provider;

	PaymentsController(PaymentRepository payments, CardProvider provider) {
		this.payments = payments;
		this.provider = provider;
	}

	/** Payments by order id, a page at a time ({@code ?after=ORDER_ID&limit=N}, at most 10 000, default 1 000). */
	@GetMapping("/internal/payments")
	List<Payment> payments(@RequestParam(defaultValue = "") String after, @RequestParam(defaultValue = "1000") int limit) {
		return this.payments.findPage(after, Math.clamp(limit, 1, 10_000));
	}

	/**
	 * The card provider's books (test mode), for the invariant checker: the money that really
	 * moved, entry by entry, {@code limit} at a time after entry {@code after}.
	 */
	@GetMapping("/internal/provider-ledger")
	List<CardProvider.LedgerEntry> ledger(@RequestParam(defaultValue = "0") long after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.provider.ledger(after, Math.clamp(limit, 1, 10_000));
	}

}
