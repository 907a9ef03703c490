package dev.switchboard.gateway.web;

import java.math.BigDecimal;

/** Prices travel as integer cents internally and as decimal numbers in the public API. */
public final class Money {

	private Money() {
	}

	public static BigDecimal fromCents(long cents) {
		return BigDecimal.valueOf(cents, 2);
	}

}
