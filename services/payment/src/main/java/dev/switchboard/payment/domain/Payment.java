package dev.switchboard.payment.domain;

/**
 * The one payment of an order.
 */
public record Payment(String orderId, String paymentId, long amountCents, PaymentStatus status, String declineReason) {
}
