package dev.switchboard.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A token verified once is not verified again on every request: the decoded token is
 * kept, by its exact text, until it expires and at most {@link #DEFAULT_KEEP}. A client
 * sends the same token for its whole life (15 minutes), and verifying it (parsing, an RSA
 * signature, the claims' checks) was a fifth of the gateway's CPU per request (and the
 * order service verifies the same token on every gRPC call).
 *
 * <p>
 * Only a token that passed every check of the wrapped decoder is kept, so a forged or
 * altered token (a different text) is verified in full. A kept one is used only before
 * its {@code exp}; the bound on keeping limits how long a token signed with a key that
 * the identity service has since withdrawn is still accepted. Spring Security decodes
 * with no cache of this kind, hence this wrapper (Caffeine keeps the entries).
 */
public final class VerifiedTokens implements JwtDecoder {

	/** How long a verified token is kept at most. */
	public static final Duration DEFAULT_KEEP = Duration.ofMinutes(1);

	private static final int MAXIMUM_TOKENS = 10_000;

	private final JwtDecoder decoder;

	private final Clock clock;

	private final Cache<String, Jwt> verified;

	/**
	 * @param decoder verifies a token in full
	 * @param keep how long a verified token is kept at most
	 * @param clock the time now
	 */
	public VerifiedTokens(JwtDecoder decoder, Duration keep, Clock clock) {
		this.decoder = decoder;
		this.clock = clock;
		long keepNanos = keep.toNanos();
		this.verified = Caffeine.newBuilder()
			.maximumSize(MAXIMUM_TOKENS)
			.expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> Duration
				.ofNanos(Math.min(keepNanos, Math.max(0, Duration.between(clock.instant(), expiry(jwt)).toNanos())))))
			.ticker(() -> clock.millis() * 1_000_000)
			.build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Jwt kept = this.verified.getIfPresent(token);
		if (kept != null && this.clock.instant().isBefore(expiry(kept))) {
			return kept;
		}
		Jwt jwt = this.decoder.decode(token);
		this.verified.put(token, jwt);
		return jwt;
	}

	private static Instant expiry(Jwt jwt) {
		return (jwt.getExpiresAt() != null) ? jwt.getExpiresAt() : Instant.MIN;
	}

}
