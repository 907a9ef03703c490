/** Driving adapter of the shipping service: Kafka calls into its use cases. */
package dev.switchboard.shipping.adapter.in.kafka;
