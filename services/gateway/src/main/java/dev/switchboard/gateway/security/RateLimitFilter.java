package dev.switchboard.gateway.security;

import java.io.IOException;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rate limits per caller, after authentication (so the client is known) and before load
 * shedding: a token bucket (Bucket4j) per client, by its token's subject, or per source
 * address for requests without a token. Over the limit, {@code 429} problem+json with
 * {@code Retry-After}: the caller asked too often, which is not the platform being full
 * (that is shedding's {@code 503}). Every answer carries the IETF
 * {@code RateLimit-Policy} and {@code RateLimit} fields
 * (draft-ietf-httpapi-ratelimit-headers): the bucket's size and refill window, what is
 * left of it and when it is full again.
 */
class RateLimitFilter extends OncePerRequestFilter {

	private final RateLimits limits;

	private final ProblemWriter problems;

	private final Cache<String, Bucket> buckets;

	RateLimitFilter(RateLimits limits, ProblemWriter problems) {
		this.limits = limits;
		this.problems = problems;
		this.buckets = Caffeine.newBuilder()
			.maximumSize(limits.trackedCallers())
			.expireAfterAccess(Duration.ofMinutes(10))
			.build();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		String key;
		String policy;
		RateLimits.Limit limit;
		if (caller instanceof JwtAuthenticationToken token) {
			key = "client " + token.getName();
			policy = "client";
			limit = this.limits.of(token.getName());
		}
		else {
			key = "address " + request.getRemoteAddr();
			policy = "address";
			limit = this.limits.anonymous();
		}
		Bucket bucket = this.buckets.get(key, (k) -> bucket(limit));
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
		long window = seconds(Duration.ofNanos(limit.burst() * 1_000_000_000L / limit.rate()));
		response.setHeader("RateLimit-Policy", "\"%s\";q=%d;w=%d".formatted(policy, limit.burst(), window));
		if (probe.isConsumed()) {
			long untilFull = seconds(
					Duration.ofNanos((limit.burst() - probe.getRemainingTokens()) * 1_000_000_000L / limit.rate()));
			response.setHeader("RateLimit",
					"\"%s\";r=%d;t=%d".formatted(policy, probe.getRemainingTokens(), untilFull));
			chain.doFilter(request, response);
			return;
		}
		long retryAfter = seconds(Duration.ofNanos(probe.getNanosToWaitForRefill()));
		response.setHeader("RateLimit", "\"%s\";r=0;t=%d".formatted(policy, retryAfter));
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		this.problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS,
				"more than %d requests per second (bursts of %d) from this %s; try again in %d s"
					.formatted(limit.rate(), limit.burst(), policy, retryAfter));
	}

	private static Bucket bucket(RateLimits.Limit limit) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder()
				.capacity(limit.burst())
				.refillGreedy(limit.rate(), Duration.ofSeconds(1))
				.build())
			.build();
	}

	/** Whole seconds, rounded up: a client that waits that long finds room. */
	private static long seconds(Duration duration) {
		return Math.max(1, (duration.toNanos() + 999_999_999L) / 1_000_000_000L);
	}

}
