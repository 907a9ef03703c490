package dev.switchboard.payment.application;

import java.util.List;
import java.util.UUID;

import dev.switchboard.payment.application.port.in.ChargeOrdersUseCase;
import dev.switchboard.payment.application.port.in.ListPaymentsUseCase;
import dev.switchboard.payment.application.port.out.CardProvider;
import dev.switchboard.payment.application.port.out.PaymentRepository;
import dev.switchboard.payment.domain.CardDecision;
import dev.switchboard.payment.domain.LedgerEntry;
import dev.switchboard.payment.domain.Payment;
import dev.switchboard.payment.domain.PaymentStatus;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Charges an order at most once and refunds it at most once. The order id is the charge's
 * natural key: a repeated charge finds the payment already there and answers with it,
 * without asking the provider. A refund before any charge voids the order, so a charge
 * that arrives late is refused before any money moves.
 *
 * <p>
 * The attempt is recorded (a PENDING payment row) before the provider is called, and the
 * provider gets the order id as its idempotency key: if this transaction rolls back after
 * the provider charged (a crash, a lost connection), the redelivered command records the
 * attempt again and the provider answers with the charge it already made, so the card is
 * charged once. Refunds go to the provider with the same key, once.
 */
@Service
@Transactional
class PaymentService implements ChargeOrdersUseCase, ListPaymentsUseCase {

	private final PaymentRepository payments;

	private final CardProvider provider;

	PaymentService(PaymentRepository payments, CardProvider provider) {
		this.payments = payments;
		this.provider = provider;
	}

	@Override
	public Charge charge(String orderId, String paymentToken, long amountCents) {
		String paymentId = UUID.randomUUID().toString();
		if (!this.payments.insertAttempt(orderId, paymentId, amountCents)) {
			return new Charge(this.payments.find(orderId).orElseThrow(), false,
					!this.provider.answersLost(paymentToken));
		}
		CardDecision decision = this.provider.charge(orderId, orderId, paymentToken, amountCents);
		Payment payment = new Payment(orderId, paymentId, amountCents,
				decision.approved() ? PaymentStatus.APPROVED : PaymentStatus.DECLINED, decision.declineReason());
		this.payments.completeAttempt(payment);
		return new Charge(payment, true, !decision.answerLost());
	}

	@Override
	public long refund(String orderId) {
		if (this.payments.markRefunded(orderId)) {
			return refundAtProvider(orderId);
		}
		if (this.payments.insertIfAbsent(new Payment(orderId, UUID.randomUUID().toString(), 0, PaymentStatus.VOIDED,
				"order cancelled before it was charged"))) {
			return 0;
		}
		// A payment exists after all: a charge of this order committed while this refund
		// ran (competing consumers take one order's commands in parallel). The insert
		// waited for it, so this statement sees it.
		if (this.payments.markRefunded(orderId)) {
			return refundAtProvider(orderId);
		}
		return 0;
	}

	private long refundAtProvider(String orderId) {
		long amount = this.payments.find(orderId).orElseThrow().amountCents();
		this.provider.refund(orderId, orderId, amount);
		return amount;
	}

	@Override
	@Transactional(readOnly = true)
	public String paymentId(String orderId) {
		return this.payments.find(orderId).map(Payment::paymentId).orElse("");
	}

	@Override
	@Transactional(readOnly = true)
	public List<Payment> payments(List<String> orderIds) {
		return this.payments.findAll(orderIds);
	}

	@Override
	public List<Payment> payments(String after, int limit) {
		return this.payments.findPage(after, Math.clamp(limit, 1, 10_000));
	}

	@Override
	public List<LedgerEntry> providerLedger(long after, int limit) {
		return this.provider.ledger(after, Math.clamp(limit, 1, 10_000));
	}

}
