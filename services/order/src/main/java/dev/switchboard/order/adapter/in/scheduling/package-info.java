/** Driving adapter of the order service: the clock calls into its use cases. */
package dev.switchboard.order.adapter.in.scheduling;
