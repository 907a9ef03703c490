package dev.switchboard.payment.application.port.out;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.switchboard.payment.domain.Payment;

/**
 * Payments as stored, in the caller's transaction.
 */
public interface PaymentRepository {

	/** Stores the order's payment; {@code false} when the order has one already. */
	boolean insertIfAbsent(Payment payment);

	/**
	 * Records a charge about to be asked of the provider (a PENDING row, locked until
	 * this transaction ends); {@code false} when the order has a payment already.
	 */
	boolean insertAttempt(String orderId, String paymentId, long amountCents);

	/** Writes the provider's answer over the attempt recorded in this transaction. */
	void completeAttempt(Payment payment);

	/**
	 * Marks an approved payment refunded; {@code false} when there was nothing to refund.
	 */
	boolean markRefunded(String orderId);

	Optional<Payment> find(String orderId);

	/** The payments of those of these orders that have one. */
	List<Payment> findAll(Collection<String> orderIds);

	/**
	 * Payments in order id order after {@code afterOrderId} (exclusive), at most
	 * {@code limit}.
	 */
	List<Payment> findPage(String afterOrderId, int limit);

}
