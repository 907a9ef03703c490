package dev.switchboard.gateway.security;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;

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
 * address for requests without a token, and a cap on the requests it has in progress at
 * once (so one client cannot hold every connection and shedding permit). Over either,
 * {@code 429} problem+json with {@code Retry-After}: the caller asked too much, which is
 * not the platform being full (that is shedding's {@code 503}). Every answer carries the
 * IETF {@code RateLimit-Policy} and {@code RateLimit} fields
 * (draft-ietf-httpapi-ratelimit-headers): the bucket's size and refill window, what is
 * left of it and when it is full again.
 */
class RateLimitFilter extends OncePerRequestFilter {

	private final RateLimits limits;

	private final ProblemWriter problems;

	private final Cache<String, Quota> quotas;

	/**
	 * What a caller has: its bucket and its permits for requests in progress. A quota
	 * evicted while requests are in progress comes back new, briefly allowing more.
	 */
	private record Quota(Bucket bucket, Semaphore inProgress) {
	}

	RateLimitFilter(RateLimits limits, ProblemWriter problems) {
		this.limits = limits;
		this.problems = problems;
		this.quotas = Caffeine.newBuilder()
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
		Quota quota = this.quotas.get(key, (k) -> new Quota(bucket(limit), new Semaphore(limit.concurrent())));
		long window = seconds(Duration.ofNanos(limit.burst() * 1_000_000_000L / limit.rate()));
		response.setHeader("RateLimit-Policy", "\"%s\";q=%d;w=%d".formatted(policy, limit.burst(), window));
		if (!quota.inProgress().tryAcquire()) {
			response.setHeader(HttpHeaders.RETRY_AFTER, "1");
			this.problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS,
					"more than %d requests in progress at once from this %s; try again when one has ended"
						.formatted(limit.concurrent(), policy));
			return;
		}
		try {
			ConsumptionProbe probe = quota.bucket().tryConsumeAndReturnRemaining(1);
			if (probe.isConsumed()) {
				long untilFull = seconds(
						Duration.ofNanos((limit.burst() - probe.getRemainingTokens()) * 1_000_000_000L / limit.rate()));
				response.setHeader("RateLimit",
						"\"%s\";r=%d;t=%d".formatted(policy, probe.getRemainingTokens(), untilFull));
				chain.doFilter(request, response);
			}
			else {
				refuse(request, response, policy, limit, probe);
			}
		}
		finally {
			quota.inProgress().release();
		}
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response, String policy, RateLimits.Limit limit,
			ConsumptionProbe probe) throws IOException {
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
