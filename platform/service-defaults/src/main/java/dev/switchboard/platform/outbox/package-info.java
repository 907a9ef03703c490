/**
 * The transactional outbox: events and commands stored with the state change, published
 * after commit.
 */
package dev.switchboard.platform.outbox;
