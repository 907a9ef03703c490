/**
 * {@code switchboard up}: builds nothing, starts the infrastructure (embedded Kafka and
 * PostgreSQL, or the servers configured), then every service, and supervises them until
 * stopped.
 */
package dev.switchboard.launcher.up;
