/** The payment domain. Plain Java, no framework. */
package dev.switchboard.payment.domain;
