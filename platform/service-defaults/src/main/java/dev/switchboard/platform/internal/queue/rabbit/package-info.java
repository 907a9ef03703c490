/**
 * The work-queue binding on RabbitMQ durable classic queues.
 */
package dev.switchboard.platform.internal.queue.rabbit;
