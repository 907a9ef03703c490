/** Driven adapter of the order service: its ports implemented with Kafka. */
package dev.switchboard.order.adapter.out.kafka;
