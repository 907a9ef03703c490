/** Driven adapter of the order service: its ports implemented with PostgreSQL (JDBC). */
package dev.switchboard.order.adapter.out.persistence;
