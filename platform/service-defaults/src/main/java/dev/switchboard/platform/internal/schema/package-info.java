/**
 * The platform's own tables (outbox, inbox) in each service's database, created by
 * Flyway.
 */
package dev.switchboard.platform.internal.schema;
