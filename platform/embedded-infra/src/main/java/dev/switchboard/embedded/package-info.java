/**
 * Real infrastructure in-process for one-machine runs and tests: Kafka, PostgreSQL and an
 * SMTP sink.
 */
package dev.switchboard.embedded;
