/** Payment: charges and refunds each order at most once against the card provider. */
package dev.switchboard.payment;
