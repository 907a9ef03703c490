/** Inventory: products, stock and reservations, served over gRPC. */
package dev.switchboard.inventory;
