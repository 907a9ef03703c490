package dev.switchboard.notification.domain;

import java.util.Locale;

/**
 * What customers are told, and where: the demo has no customer directory, so each
 * customer id maps to an address in a reserved test domain.
 */
public final class Emails {

	private Emails() {
	}

	public static String recipient(String customerId) {
		String local = customerId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
		return local + "@customers.switchboard.test";
	}

	public static String money(long cents) {
		return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
	}

}
