package dev.switchboard.order.adapter.in.config;

import java.time.Duration;

import dev.switchboard.order.application.AdmissionControl;
import dev.switchboard.order.application.port.out.SagaRepository;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code switchboard.order.admission.max-active-sagas} (0 turns admission control off) and
 * {@code switchboard.order.admission.retry-after}, what a refused client is told to wait.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdmissionConfiguration.AdmissionProperties.class)
class AdmissionConfiguration {

	@Bean
	AdmissionControl admissionControl(SagaRepository sagas, AdmissionProperties properties) {
		return new AdmissionControl(sagas, properties.maxActiveSagas(), properties.retryAfter());
	}

	@ConfigurationProperties("switchboard.order.admission")
	record AdmissionProperties(@DefaultValue("100") int maxActiveSagas, @DefaultValue("2s") Duration retryAfter) {
	}

}
