package dev.switchboard.payment.application.port.out;

import java.util.List;
import java.util.Optional;

import dev.switchboard.payment.domain.Payment;

/**
 * Payments as stored, in the caller's transaction.
 */
public interface PaymentRepository {

	/** Stores the order's payment; {@code false} when the order has one already. */
	boolean insertIfAbsent(Payment payment);

	/** Marks an approved payment refunded; {@code false} when there was nothing to refund. */
	boolean markRefunded(String orderId);

	Optional<Payment> find(String orderId);

	List<Payment> findAll();

}
