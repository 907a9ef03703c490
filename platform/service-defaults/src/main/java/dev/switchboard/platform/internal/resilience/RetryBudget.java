package dev.switchboard.platform.internal.resilience;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A retry budget as in gRPC's retry throttling (gRFC A6): a bucket of tokens that every
 * successful call refills by {@code ratio} and every retryable failure drains by one;
 * retries are allowed only while more than half the tokens are left. In an outage the
 * bucket empties after a few failures and retries stop, so callers add at most
 * {@code ratio} extra load instead of multiplying it by their attempt count.
 *
 * <p>
 * Written here because Resilience4j's Retry has no budget shared across calls.
 */
public final class RetryBudget {

	private static final long SCALE = 1000;

	private final long maxTokens;

	private final long ratio;

	private final AtomicLong tokens;

	public RetryBudget(int maxTokens, double ratio) {
		if (maxTokens <= 0 || ratio < 0) {
			throw new IllegalArgumentException("a retry budget needs tokens > 0 and a ratio >= 0");
		}
		this.maxTokens = maxTokens * SCALE;
		this.ratio = Math.round(ratio * SCALE);
		this.tokens = new AtomicLong(this.maxTokens);
	}

	public void onSuccess() {
		this.tokens.accumulateAndGet(this.ratio, (current, add) -> Math.min(this.maxTokens, current + add));
	}

	public void onFailure() {
		this.tokens.accumulateAndGet(SCALE, (current, take) -> Math.max(0, current - take));
	}

	public boolean allowsRetry() {
		return this.tokens.get() > this.maxTokens / 2;
	}

	public double tokens() {
		return this.tokens.get() / (double) SCALE;
	}

}
