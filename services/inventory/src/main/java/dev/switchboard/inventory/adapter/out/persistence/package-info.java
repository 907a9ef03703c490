/**
 * Driven adapter of the inventory service: its ports implemented with PostgreSQL (JDBC).
 */
package dev.switchboard.inventory.adapter.out.persistence;
