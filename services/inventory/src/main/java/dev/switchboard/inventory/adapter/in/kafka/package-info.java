/** Driving adapter of the inventory service: Kafka calls into its use cases. */
package dev.switchboard.inventory.adapter.in.kafka;
