package dev.switchboard.gateway.products;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.switchboard.gateway.web.UpstreamException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a cached answer may be served, on a clock the test moves. */
class ProductCacheTest {

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T12:00:00Z"));

	private final ProductCache<String> cache = new ProductCache<>(Duration.ofSeconds(30), this.now::get);

	@Test
	void anAnswerIsFreshUntilItsTimeToLiveEnds() {
		this.cache.resync(true);
		this.cache.remember("SKU-1", "ten", this.cache.stamp("SKU-1"));
		advance(Duration.ofSeconds(29));
		ResponseEntity<String> hit = this.cache.fresh("SKU-1").orElseThrow();
		assertThat(hit.getBody()).isEqualTo("ten");
		assertThat(hit.getHeaders().getFirst("Age")).isEqualTo("29");
		advance(Duration.ofSeconds(1));
		assertThat(this.cache.fresh("SKU-1")).as("expired").isEmpty();
	}

	@Test
	void aChangeEndsFreshnessAtOnceButTheAnswerStaysTheLastKnown() {
		this.cache.resync(true);
		this.cache.remember("SKU-1", "ten", this.cache.stamp("SKU-1"));
		this.cache.changed("SKU-1");
		assertThat(this.cache.fresh("SKU-1")).isEmpty();
		ResponseEntity<String> stale = this.cache.orElseThrow("SKU-1", unavailable());
		assertThat(stale.getBody()).isEqualTo("ten");
		assertThat(stale.getHeaders().getFirst(ProductCache.STALE_HEADER)).isEqualTo("true");
	}

	@Test
	void anAnswerFetchedWhileItsProductChangedIsNotFresh() {
		this.cache.resync(true);
		ProductCache.Stamp before = this.cache.stamp("SKU-1");
		this.cache.changed("SKU-1");
		this.cache.remember("SKU-1", "ten, as it was", before);
		assertThat(this.cache.fresh("SKU-1")).isEmpty();

		this.cache.remember("SKU-1", "nine", this.cache.stamp("SKU-1"));
		assertThat(this.cache.fresh("SKU-1")).hasValueSatisfying((hit) -> assertThat(hit.getBody()).isEqualTo("nine"));
	}

	@Test
	void anAnswerFetchedAcrossAResyncIsNotFresh() {
		this.cache.resync(true);
		ProductCache.Stamp before = this.cache.stamp("SKU-1");
		this.cache.resync(true);
		this.cache.remember("SKU-1", "ten", before);
		assertThat(this.cache.fresh("SKU-1")).isEmpty();
	}

	@Test
	void nothingIsFreshWhileChangesAreNotHeard() {
		this.cache.remember("SKU-1", "ten", this.cache.stamp("SKU-1"));
		assertThat(this.cache.fresh("SKU-1")).as("before the watch began").isEmpty();

		this.cache.resync(true);
		this.cache.remember("SKU-1", "ten", this.cache.stamp("SKU-1"));
		this.cache.resync(false);
		assertThat(this.cache.fresh("SKU-1")).as("after the watch broke").isEmpty();
		assertThat(this.cache.orElseThrow("SKU-1", unavailable()).getBody()).isEqualTo("ten");
	}

	@Test
	void onlyUnavailabilityIsCoveredByTheLastKnownAnswer() {
		this.cache.remember("SKU-1", "ten", this.cache.stamp("SKU-1"));
		UpstreamException notFound = new UpstreamException(HttpStatus.NOT_FOUND, "Not Found", "no such SKU", null);
		assertThatThrownBy(() -> this.cache.orElseThrow("SKU-1", notFound)).isSameAs(notFound);
		UpstreamException unknown = unavailable();
		assertThatThrownBy(() -> this.cache.orElseThrow("SKU-2", unknown)).isSameAs(unknown);
	}

	private void advance(Duration duration) {
		this.now.updateAndGet((instant) -> instant.plus(duration));
	}

	private static UpstreamException unavailable() {
		return new UpstreamException(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", "inventory is away", null);
	}

}
