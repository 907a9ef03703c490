/**
 * {@code switchboard dlq}: what is dead-lettered (Kafka, RabbitMQ, outbox) listed, shown,
 * replayed or dropped.
 */
package dev.switchboard.launcher.dlq;
