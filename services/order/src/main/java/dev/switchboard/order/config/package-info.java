/** Wiring of the order service that belongs to no adapter. */
package dev.switchboard.order.config;
