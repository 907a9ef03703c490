/**
 * Driven adapter of the order service: saga steps and compensations as spans of the
 * order's trace (Micrometer Tracing over OpenTelemetry).
 */
package dev.switchboard.order.adapter.out.tracing;
