/** Driving adapter of the payment service: Kafka calls into its use cases. */
package dev.switchboard.payment.adapter.in.kafka;
