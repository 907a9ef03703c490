/** Driving adapter of the payment service: HTTP calls into its use cases. */
package dev.switchboard.payment.adapter.in.web;
