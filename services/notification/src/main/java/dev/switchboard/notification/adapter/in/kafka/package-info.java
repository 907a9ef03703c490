/** Driving adapter of the notification service: Kafka calls into its use cases. */
package dev.switchboard.notification.adapter.in.kafka;
