/**
 * Driven adapter of the payment service: the card provider, in test mode with books of
 * its own.
 */
package dev.switchboard.payment.adapter.out.provider;
