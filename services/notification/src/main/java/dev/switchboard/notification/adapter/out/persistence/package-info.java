/**
 * Driven adapter of the notification service: its ports implemented with PostgreSQL
 * (JDBC).
 */
package dev.switchboard.notification.adapter.out.persistence;
