/**
 * Driven adapter of the payment service: its ports implemented with PostgreSQL (JDBC).
 */
package dev.switchboard.payment.adapter.out.persistence;
