package dev.switchboard.order.config;

import java.time.Duration;

import dev.switchboard.platform.retention.RetentionRule;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What this service forgets, and when: idempotency keys after
 * {@code switchboard.retention.idempotency-keys} (24 h, part of the API: a retry within
 * that time gets the first answer), the history of sagas that ended more than
 * {@code switchboard.retention.saga-history} ago (30 days; the saga's steps and outcome
 * stay). Orders themselves are business records and are kept.
 */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

	@Bean
	RetentionRule idempotencyKeyRetention(@Value("${switchboard.retention.idempotency-keys:24h}") Duration keep) {
		return new RetentionRule("idempotency keys", "idempotency_keys", "created_at < ?", keep);
	}

	@Bean
	RetentionRule sagaHistoryRetention(@Value("${switchboard.retention.saga-history:30d}") Duration keep) {
		return new RetentionRule("saga history", "saga_history",
				"order_id IN (SELECT order_id FROM sagas WHERE status IN ('COMPLETED', 'CANCELLED') AND updated_at < ?)",
				keep);
	}

}
