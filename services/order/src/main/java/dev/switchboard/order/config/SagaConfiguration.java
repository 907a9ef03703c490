package dev.switchboard.order.config;

import java.time.Duration;

import dev.switchboard.order.application.SagaSettings;
import dev.switchboard.order.domain.saga.SagaMode;
import dev.switchboard.order.domain.saga.SagaTimeouts;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code switchboard.saga.mode} ({@code orchestration} or {@code choreography}) and the
 * step timeouts {@code switchboard.saga.timeout.{reserve,charge,allocate,ship}}, plus the
 * first compensation retry delay {@code switchboard.saga.timeout.compensation} and its
 * cap {@code switchboard.saga.timeout.max-compensation-backoff}, and how long a step may
 * wait for its participant to take it,
 * {@code switchboard.saga.timeout.schedule-to-start}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SagaConfiguration.SagaProperties.class)
class SagaConfiguration {

	@Bean
	SagaSettings sagaSettings(SagaProperties properties) {
		Timeout t = properties.timeout();
		return new SagaSettings(properties.mode(), new SagaTimeouts(t.reserve(), t.charge(), t.allocate(), t.ship(),
				t.compensation(), t.maxCompensationBackoff(), t.scheduleToStart()));
	}

	/**
	 * How sagas run.
	 *
	 * @param mode how new orders' sagas run: orchestration (commands and replies) or
	 * choreography (events); sagas already running finish in their own mode
	 * @param timeout how long each step may take
	 */
	@ConfigurationProperties("switchboard.saga")
	record SagaProperties(@DefaultValue("orchestration") SagaMode mode, @DefaultValue Timeout timeout) {
	}

	/**
	 * A saga's deadlines.
	 *
	 * @param reserve how long the stock reservation may take once inventory took it
	 * @param charge how long the charge may take once payment took it
	 * @param allocate how long the stock allocation may take once inventory took it
	 * @param ship how long scheduling the shipment may take once shipping took it
	 * @param compensation the first delay before a failed compensation is tried again
	 * @param maxCompensationBackoff the longest delay between compensation attempts
	 * @param scheduleToStart how long a step may wait for a participant that is down or
	 * busy to take it
	 */
	record Timeout(@DefaultValue("5s") Duration reserve, @DefaultValue("10s") Duration charge,
			@DefaultValue("5s") Duration allocate, @DefaultValue("5s") Duration ship,
			@DefaultValue("30s") Duration compensation, @DefaultValue("5m") Duration maxCompensationBackoff,
			@DefaultValue("5m") Duration scheduleToStart) {
	}

}
