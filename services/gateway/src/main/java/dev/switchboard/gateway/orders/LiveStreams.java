package dev.switchboard.gateway.orders;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.switchboard.gateway.web.UpstreamException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * How many live order streams (server-sent events, {@code /ws/orders} subscriptions,
 * GraphQL subscriptions) may be open at once: each holds a gRPC stream to the order
 * service and a connection here for as long as the client keeps it, so without a bound a
 * few clients could hold them all. Past a client's share
 * ({@code switchboard.gateway.streams.max-per-client}) a new one is a 429, past the
 * gateway's ({@code switchboard.gateway.streams.max-open}) a 503; both say when to try
 * again. The rate limiter cannot bound them: it counts requests while they are handled,
 * and a stream's request is handed over to the stream at once.
 */
@Component
class LiveStreams {

	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final int perClient;

	private final int perGateway;

	private final Semaphore open;

	private final Map<String, Integer> byClient = new ConcurrentHashMap<>();

	LiveStreams(@Value("${switchboard.gateway.streams.max-per-client:20}") int perClient,
			@Value("${switchboard.gateway.streams.max-open:1000}") int perGateway, MeterRegistry meters) {
		this.perClient = perClient;
		this.perGateway = perGateway;
		this.open = new Semaphore(perGateway);
		Gauge.builder("switchboard.gateway.streams.open", this, (streams) -> streams.openNow())
			.description("Live order streams open (SSE, WebSocket and GraphQL subscriptions)")
			.register(meters);
	}

	/**
	 * A place for one more stream of this client, to be closed when the stream ends.
	 * @throws UpstreamException 429 past the client's share, 503 past the gateway's
	 */
	Slot open(String client) {
		boolean[] admitted = { false };
		this.byClient.compute(client, (key, count) -> {
			int now = (count != null) ? count : 0;
			if (now >= this.perClient) {
				return count;
			}
			admitted[0] = true;
			return now + 1;
		});
		if (!admitted[0]) {
			throw new UpstreamException(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests",
					"this client has " + this.perClient + " live streams open already; close one first", RETRY_AFTER);
		}
		if (!this.open.tryAcquire()) {
			release(client);
			throw new UpstreamException(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
					"the gateway has " + this.perGateway + " live streams open; try again later", RETRY_AFTER);
		}
		return new Slot(client);
	}

	int openNow() {
		return this.perGateway - this.open.availablePermits();
	}

	private void release(String client) {
		this.byClient.computeIfPresent(client, (key, count) -> (count <= 1) ? null : count - 1);
	}

	/** One open stream's place; closing it more than once frees it once. */
	final class Slot implements AutoCloseable {

		private final String client;

		private final AtomicBoolean closed = new AtomicBoolean();

		private Slot(String client) {
			this.client = client;
		}

		@Override
		public void close() {
			if (this.closed.compareAndSet(false, true)) {
				LiveStreams.this.open.release();
				release(this.client);
			}
		}

	}

}
