/**
 * Driven adapter of the shipping service: its ports implemented with PostgreSQL (JDBC).
 */
package dev.switchboard.shipping.adapter.out.persistence;
