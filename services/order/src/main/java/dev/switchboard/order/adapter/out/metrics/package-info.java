/**
 * Driven adapter of the order service: how sagas end, told to its metrics (Micrometer).
 */
package dev.switchboard.order.adapter.out.metrics;
