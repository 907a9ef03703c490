/**
 * The inventory domain: products, stock lines and reservations with their rules. Plain
 * Java, no framework.
 */
package dev.switchboard.inventory.domain;
