/**
 * Deletes what is kept only for a while (idempotency keys, inbox entries, history) on a
 * schedule.
 */
package dev.switchboard.platform.retention;
