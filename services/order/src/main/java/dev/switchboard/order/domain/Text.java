package dev.switchboard.order.domain;

import java.util.regex.Pattern;

/**
 * The rules every piece of text in an order keeps: present, not blank, not too long, and
 * free of control characters ({@code \p{Cc}}: NUL, escapes, line breaks), which
 * PostgreSQL refuses (NUL) or which forge lines in logs and emails.
 */
final class Text {

	private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

	/** Visible ASCII, as an HTTP header value that needs no quoting. */
	private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7E]+");

	private Text() {
	}

	static void require(String value, String field, int maxLength) {
		if (value == null || value.isBlank() || value.length() > maxLength) {
			throw new InvalidOrderException(field + " must be 1 to " + maxLength + " characters, not blank");
		}
		if (CONTROL.matcher(value).find()) {
			throw new InvalidOrderException(field + " must not contain control characters");
		}
	}

	static void requireVisibleAscii(String value, String field, int maxLength) {
		if (value.length() > maxLength || !VISIBLE_ASCII.matcher(value).matches()) {
			throw new InvalidOrderException(field + " must be 1 to " + maxLength + " visible ASCII characters");
		}
	}

}
