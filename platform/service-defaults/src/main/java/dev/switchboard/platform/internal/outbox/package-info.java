/**
 * How the outbox is written and relayed to Kafka after commit, and what is done with
 * entries that cannot be delivered.
 */
package dev.switchboard.platform.internal.outbox;
