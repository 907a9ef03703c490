package dev.switchboard.gateway.web;

import java.math.BigDecimal;

/**
 * Money as API v2 writes it: the amount as a decimal string (exact, whatever the client's
 * number type) and its ISO 4217 currency. Every amount in the platform is in
 * {@value #CURRENCY}.
 */
public record Amount(String amount, String currency) {

	public static final String CURRENCY = "USD";

	public static Amount ofCents(long cents) {
		return new Amount(BigDecimal.valueOf(cents, 2).toPlainString(), CURRENCY);
	}

	public static Amount of(BigDecimal amount) {
		return new Amount(amount.setScale(2).toPlainString(), CURRENCY);
	}

}
