package dev.switchboard.launcher;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people type them: {@code 500ms}, {@code 30s}, {@code 2m}; a bare number is
 * seconds.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

	private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

	@Override
	public Duration convert(String value) {
		try {
			return parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new TypeConversionException(ex.getMessage());
		}
	}

	public static Duration parse(String value) {
		Matcher m = DURATION.matcher(value.trim());
		if (!m.matches()) {
			throw new IllegalArgumentException("a duration looks like 500ms, 30s or 2m, was '" + value + "'");
		}
		long n = Long.parseLong(m.group(1));
		return switch (m.group(2) == null ? "s" : m.group(2)) {
			case "ms" -> Duration.ofMillis(n);
			case "m" -> Duration.ofMinutes(n);
			default -> Duration.ofSeconds(n);
		};
	}

}
