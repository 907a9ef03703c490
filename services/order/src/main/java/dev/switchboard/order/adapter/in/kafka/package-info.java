/** Driving adapter of the order service: Kafka calls into its use cases. */
package dev.switchboard.order.adapter.in.kafka;
