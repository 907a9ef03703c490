/**
 * Driving adapter of the order service: Kafka calls into its use cases, and the replies
 * of synchronous participant calls, taken the same way.
 */
package dev.switchboard.order.adapter.in.kafka;
