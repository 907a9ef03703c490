/**
 * The work queues: their names, priorities and dead-letter settings, shared by producers
 * and consumers.
 */
package dev.switchboard.contracts.queues;
