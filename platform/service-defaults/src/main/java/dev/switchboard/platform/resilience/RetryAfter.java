package dev.switchboard.platform.resilience;

import java.time.Duration;
import java.util.Optional;

import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;

/**
 * "Try again in N seconds" across a gRPC hop: a refusing service puts it in the trailer
 * {@code retry-after} (whole seconds, like the HTTP header), the gateway turns it back
 * into the HTTP {@code Retry-After} header.
 */
public final class RetryAfter {

	public static final Metadata.Key<String> TRAILER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

	private RetryAfter() {
	}

	/** Trailers that tell the caller to wait {@code delay} (rounded up to a second). */
	public static Metadata trailers(Duration delay) {
		Metadata trailers = new Metadata();
		trailers.put(TRAILER, Long.toString(seconds(delay)));
		return trailers;
	}

	/** What the callee asked for, if anything. */
	public static Optional<Duration> of(StatusRuntimeException ex) {
		Metadata trailers = ex.getTrailers();
		String value = (trailers != null) ? trailers.get(TRAILER) : null;
		if (value == null || !value.matches("\\d{1,6}")) {
			return Optional.empty();
		}
		return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
	}

	/** Whole seconds, at least one: the HTTP header has no finer unit. */
	public static long seconds(Duration delay) {
		return Math.max(1, (delay.toMillis() + 999) / 1000);
	}

}
