package dev.switchboard.payment.adapter.out.provider;

import java.util.List;

import dev.switchboard.payment.application.port.out.CardProvider;
import dev.switchboard.payment.domain.CardDecision;
import dev.switchboard.payment.domain.LedgerEntry;
import dev.switchboard.payment.domain.TestModeCardProvider;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The test-mode provider with books of its own ({@code provider_ledger}), written in a
 * transaction of their own, never the caller's: like a real provider's, a charge stays
 * made when the payment service's transaction rolls back or its process dies. Its
 * idempotency keys are kept for good (a real provider keeps them a day or so).
 */
@Component
class LedgerCardProvider implements CardProvider {

	private final TestModeCardProvider decisions = new TestModeCardProvider();

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	LedgerCardProvider(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	@Override
	public CardDecision charge(String idempotencyKey, String orderId, String paymentToken, long amountCents) {
		CardDecision decision = this.decisions.charge(paymentToken, amountCents);
		return this.ownTransaction.execute((status) -> {
			this.jdbc.update(
					"""
							INSERT INTO provider_ledger (idempotency_key, kind, order_id, amount_cents, approved, decline_reason)
							VALUES (?, 'CHARGE', ?, ?, ?, ?) ON CONFLICT (idempotency_key, kind) DO NOTHING""",
					idempotencyKey, orderId, amountCents, decision.approved(), decision.declineReason());
			// The first request's answer, whether this one made it or found it.
			return this.jdbc.queryForObject(
					"SELECT approved, decline_reason FROM provider_ledger WHERE idempotency_key = ? AND kind = 'CHARGE'",
					(rs, i) -> rs.getBoolean(1)
							? (decision.answerLost() ? CardDecision.approveWithAnswerLost() : CardDecision.approve())
							: CardDecision.decline(rs.getString(2)),
					idempotencyKey);
		});
	}

	@Override
	public void refund(String idempotencyKey, String orderId, long amountCents) {
		this.ownTransaction.executeWithoutResult((status) -> this.jdbc.update("""
				INSERT INTO provider_ledger (idempotency_key, kind, order_id, amount_cents, approved)
				VALUES (?, 'REFUND', ?, ?, true) ON CONFLICT (idempotency_key, kind) DO NOTHING""", idempotencyKey,
				orderId, amountCents));
	}

	@Override
	public boolean answersLost(String paymentToken) {
		return this.decisions.charge(paymentToken, 1).answerLost();
	}

	@Override
	public List<LedgerEntry> ledger(long afterId, int limit) {
		return this.jdbc.query("""
				SELECT id, idempotency_key, kind, order_id, amount_cents, approved FROM provider_ledger
				WHERE id > ? ORDER BY id LIMIT ?""", (rs, i) -> new LedgerEntry(rs.getLong(1), rs.getString(2),
				rs.getString(3), rs.getString(4), rs.getLong(5), rs.getBoolean(6)), afterId, limit);
	}

}
