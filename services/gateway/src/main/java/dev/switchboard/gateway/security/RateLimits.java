package dev.switchboard.gateway.security;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many requests each caller may make (DESIGN.md, "Identity"): a token bucket per
 * client (the subject of its token) and per source address for requests without a token,
 * and how many it may have in progress at once.
 *
 * @param clients the limit of each client by id; a client not named here gets
 * {@code defaultClient}
 * @param defaultClient the limit of a client without its own
 * @param anonymous the limit of each source address sending requests without a token (the
 * gateway's configuration sets 5000 requests/s)
 * @param trackedCallers how many callers' buckets are kept at most (the least recent go
 * first, and start full when they come back)
 */
@ConfigurationProperties("switchboard.gateway.rate-limits")
public record RateLimits(Map<String, Limit> clients, @DefaultValue Limit defaultClient, @DefaultValue Limit anonymous,
		@DefaultValue("100000") int trackedCallers) {

	public RateLimits {
		clients = (clients != null) ? Map.copyOf(clients) : Map.of();
	}

	/**
	 * @param rate requests per second, sustained
	 * @param burst requests at once after a quiet spell: the bucket's size
	 * @param concurrent requests in progress at once (on as many connections)
	 */
	public record Limit(@DefaultValue("100") long rate, @DefaultValue("200") long burst,
			@DefaultValue("64") int concurrent) {

		public Limit {
			if (rate < 1 || burst < 1 || concurrent < 1) {
				throw new IllegalArgumentException(
						"a rate limit needs a rate, a burst and a concurrency of at least 1");
			}
		}

	}

	Limit of(String client) {
		return this.clients.getOrDefault(client, this.defaultClient);
	}

}
