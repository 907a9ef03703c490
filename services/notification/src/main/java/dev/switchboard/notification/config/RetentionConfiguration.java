package dev.switchboard.notification.config;

import java.time.Duration;

import dev.switchboard.platform.retention.RetentionRule;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sent notifications are kept {@code switchboard.retention.notifications} (30 days) for
 * {@code GET /orders/{id}/notifications}, then deleted. Their event ids guard against
 * sending an email twice only while an event can be delivered again, which is seconds.
 */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

	@Bean
	RetentionRule notificationRetention(@Value("${switchboard.retention.notifications:30d}") Duration keep) {
		return new RetentionRule("notifications", "notifications", "sent_at < ?", keep);
	}

}
