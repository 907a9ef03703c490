/**
 * Driven adapter of the analytics service: its ports implemented with PostgreSQL (JDBC).
 */
package dev.switchboard.analytics.adapter.out.persistence;
