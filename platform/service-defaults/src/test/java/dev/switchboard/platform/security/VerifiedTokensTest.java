package dev.switchboard.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class VerifiedTokensTest {

	private Instant now = Instant.parse("2026-12-03T10:00:00Z");

	private final Clock clock = new Clock() {

		@Override
		public Instant instant() {
			return VerifiedTokensTest.this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	};

	private final List<String> decoded = new ArrayList<>();

	private final JwtDecoder decoder = (token) -> {
		this.decoded.add(token);
		if (token.startsWith("bad")) {
			throw new BadJwtException("signature does not match");
		}
		return Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.claim("scope", "orders:read")
			.issuedAt(this.now)
			.expiresAt(this.now.plus(Duration.ofMinutes(15)))
			.build();
	};

	private final VerifiedTokens tokens = new VerifiedTokens(this.decoder, Duration.ofMinutes(1), this.clock);

	@Test
	void aVerifiedTokenIsVerifiedOnceWhileKept() {
		Jwt first = this.tokens.decode("good");
		this.now = this.now.plusSeconds(59);
		assertThat(this.tokens.decode("good")).isSameAs(first);
		assertThat(this.decoded).containsExactly("good");
	}

	@Test
	void aKeptTokenIsVerifiedAgainAfterTheKeepingTime() {
		this.tokens.decode("good");
		this.now = this.now.plusSeconds(61);
		this.tokens.decode("good");
		assertThat(this.decoded).containsExactly("good", "good");
	}

	@Test
	void anyOtherTextIsVerifiedInFull() {
		this.tokens.decode("good");
		this.tokens.decode("good2");
		assertThat(this.decoded).containsExactly("good", "good2");
	}

	@Test
	void aRefusedTokenIsNeverKept() {
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.tokens.decode("bad"));
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.tokens.decode("bad"));
		assertThat(this.decoded).containsExactly("bad", "bad");
	}

	@Test
	void anExpiredTokenIsNotServedFromWhatWasKept() {
		VerifiedTokens longKeep = new VerifiedTokens(this.decoder, Duration.ofHours(1), this.clock);
		longKeep.decode("good");
		this.now = this.now.plus(Duration.ofMinutes(16));
		longKeep.decode("good");
		assertThat(this.decoded).containsExactly("good", "good");
	}

}
