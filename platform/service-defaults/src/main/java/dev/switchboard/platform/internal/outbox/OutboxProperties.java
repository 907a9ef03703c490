package dev.switchboard.platform.internal.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the outbox relay.
 *
 * @param pollInterval how often the relay looks for rows when nothing woke it up: a
 * backstop only, since this instance's commits and other instances' notifications wake it
 * @param batchSize the most rows published per round trip
 * @param sendTimeout how long to wait for the broker's acks of one batch
 * @param retryBackoff the first pause after a failed batch (doubles up to 10 s)
 * @param deleteDelay how long published rows may wait to be deleted, so that one
 * statement deletes the rows of many passes (sooner when a batch's worth is waiting); a
 * crash of the service republishes at most what went out in this time
 */
@ConfigurationProperties("switchboard.outbox")
public record OutboxProperties(@DefaultValue("10s") Duration pollInterval, @DefaultValue("500") int batchSize,
		@DefaultValue("30s") Duration sendTimeout, @DefaultValue("200ms") Duration retryBackoff,
		@DefaultValue("1s") Duration deleteDelay) {
}
