/** Driving adapter of the payment service: work queues calls into its use cases. */
package dev.switchboard.payment.adapter.in.queue;
