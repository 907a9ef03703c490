/**
 * Event subscriptions on Kafka with idempotent consumers (the inbox), CloudEvents headers
 * and dead letters.
 */
package dev.switchboard.platform.messaging;
