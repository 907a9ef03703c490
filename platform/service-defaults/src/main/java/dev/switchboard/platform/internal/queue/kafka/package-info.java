/**
 * The work-queue binding on Kafka share groups.
 */
package dev.switchboard.platform.internal.queue.kafka;
