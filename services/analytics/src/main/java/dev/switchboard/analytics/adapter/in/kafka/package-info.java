/** Driving adapter of the analytics service: Kafka calls into its use cases. */
package dev.switchboard.analytics.adapter.in.kafka;
