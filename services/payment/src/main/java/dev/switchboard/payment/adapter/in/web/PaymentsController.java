package dev.switchboard.payment.adapter.in.web;

import java.util.List;

import dev.switchboard.payment.application.port.out.PaymentRepository;
import dev.switchboard.payment.domain.Payment;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal, read-only list of payments, for operators and invariant checks. Not routed by
 * the gateway.
 */
@RestController
class PaymentsController {

	private final PaymentRepository payments;

	PaymentsController(PaymentRepository payments) {
		this.payments = payments;
	}

	@GetMapping("/internal/payments")
	List<Payment> payments() {
		return this.payments.findAll();
	}

}
