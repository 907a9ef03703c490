/** The product catalogue, with the last known answer kept for when inventory is away. */
package dev.switchboard.gateway.products;
