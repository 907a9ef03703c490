/**
 * Work queues with competing consumers, on Kafka share groups or RabbitMQ, with retries
 * and dead letters.
 */
package dev.switchboard.platform.queue;
