/** Shipping: decides once per order whether it ships, and cancels shipments. */
package dev.switchboard.shipping;
