package dev.switchboard.analytics.domain;

/**
 * Totals over all orders seen on the stream. Revenue counts completed orders only: money
 * of cancelled orders is refunded.
 */
public record OrderSummary(long ordersCreated, long ordersCompleted, long ordersCancelled, long revenueCents) {
}
