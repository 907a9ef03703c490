package dev.switchboard.payment.adapter.out.persistence;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.switchboard.payment.application.port.out.PaymentRepository;
import dev.switchboard.payment.domain.Payment;
import dev.switchboard.payment.domain.PaymentStatus;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

@Repository
class JdbcPaymentRepository implements PaymentRepository {

	private static final RowMapper<Payment> PAYMENT = (rs, i) -> new Payment(rs.getString(1), rs.getString(2),
			rs.getLong(3), PaymentStatus.valueOf(rs.getString(4)), rs.getString(5));

	private final JdbcTemplate jdbc;

	JdbcPaymentRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean insertIfAbsent(Payment p) {
		return this.jdbc.update("""
				INSERT INTO payments (order_id, payment_id, amount_cents, status, decline_reason)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING""", p.orderId(), p.paymentId(),
				p.amountCents(), p.status().name(), p.declineReason()) == 1;
	}

	@Override
	public boolean insertAttempt(String orderId, String paymentId, long amountCents) {
		return this.jdbc.update("""
				INSERT INTO payments (order_id, payment_id, amount_cents, status)
				VALUES (?, ?, ?, 'PENDING') ON CONFLICT (order_id) DO NOTHING""", orderId, paymentId, amountCents) == 1;
	}

	@Override
	public void completeAttempt(Payment p) {
		int updated = this.jdbc.update(
				"UPDATE payments SET status = ?, decline_reason = ?, updated_at = now() WHERE order_id = ? AND status = 'PENDING'",
				p.status().name(), p.declineReason(), p.orderId());
		if (updated != 1) {
			throw new IllegalStateException("No charge attempt of order " + p.orderId() + " to complete");
		}
	}

	@Override
	public boolean markRefunded(String orderId) {
		return this.jdbc.update(
				"UPDATE payments SET status = 'REFUNDED', updated_at = now() WHERE order_id = ? AND status = 'APPROVED'",
				orderId) == 1;
	}

	@Override
	public List<Payment> findAll(Collection<String> orderIds) {
		return this.jdbc.query(
				"SELECT order_id, payment_id, amount_cents, status, decline_reason FROM payments WHERE order_id = ANY (?)",
				PAYMENT, (Object) orderIds.toArray(String[]::new));
	}

	@Override
	public Optional<Payment> find(String orderId) {
		return this.jdbc
			.query("SELECT order_id, payment_id, amount_cents, status, decline_reason FROM payments WHERE order_id = ?",
					PAYMENT, orderId)
			.stream()
			.findFirst();
	}

	@Override
	public List<Payment> findPage(String afterOrderId, int limit) {
		return this.jdbc.query("""
				SELECT order_id, payment_id, amount_cents, status, decline_reason FROM payments
				WHERE order_id > ? ORDER BY order_id LIMIT ?""", PAYMENT, afterOrderId, limit);
	}

}
