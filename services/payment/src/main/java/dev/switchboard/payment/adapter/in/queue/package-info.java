/**
 * Driving adapter of the payment service: saga commands from its work queue and its
 * command stream into its use cases.
 */
package dev.switchboard.payment.adapter.in.queue;
