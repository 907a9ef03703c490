/**
 * Work tied to a transaction's outcome.
 */
package dev.switchboard.platform.transaction;
