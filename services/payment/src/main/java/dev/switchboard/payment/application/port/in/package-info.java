/** What the payment service offers its driving adapters: its use cases. */
package dev.switchboard.payment.application.port.in;
