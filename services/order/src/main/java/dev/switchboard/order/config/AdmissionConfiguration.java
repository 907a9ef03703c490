package dev.switchboard.order.config;

import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.switchboard.order.application.AdmissionControl;
import dev.switchboard.order.application.port.out.SagaRepository;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code switchboard.order.admission.max-active-sagas}: {@code auto} (the default) for a
 * limit that follows Little's law (the admitted rate times
 * {@code switchboard.order.admission.completion-target}, at least
 * {@code switchboard.order.admission.minimum-limit}), a number for a fixed limit, 0 for
 * none; {@code switchboard.order.admission.retry-after}, what a refused client is told to
 * wait.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdmissionConfiguration.AdmissionProperties.class)
class AdmissionConfiguration {

	/**
	 * What admission did, for the platform's dashboards: orders admitted and refused, the
	 * sagas in progress it counted and its limit.
	 */
	@Bean
	MeterBinder admissionMeters(AdmissionControl admission) {
		return (meters) -> {
			FunctionCounter.builder("switchboard.admission.orders", admission, AdmissionControl::admitted)
				.description("New orders admission control let in (counted while a limit is in force)")
				.tag("result", "admitted")
				.register(meters);
			FunctionCounter.builder("switchboard.admission.orders", admission, AdmissionControl::refused)
				.description("New orders refused with 503 and Retry-After: too many in progress")
				.tag("result", "refused")
				.register(meters);
			Gauge.builder("switchboard.admission.active", admission, AdmissionControl::active)
				.description("Sagas in progress, as admission control last counted them")
				.register(meters);
			Gauge.builder("switchboard.admission.limit", admission, AdmissionControl::limit)
				.description("Sagas in progress beyond which new orders are refused (0: no limit)")
				.register(meters);
		};
	}

	@Bean
	AdmissionControl admissionControl(SagaRepository sagas, AdmissionProperties properties) {
		if ("auto".equals(properties.maxActiveSagas())) {
			return AdmissionControl.littlesLaw(sagas, properties.completionTarget(), properties.minimumLimit(),
					properties.retryAfter());
		}
		try {
			return new AdmissionControl(sagas, Integer.parseUnsignedInt(properties.maxActiveSagas()),
					properties.retryAfter());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("switchboard.order.admission.max-active-sagas must be auto or a whole"
					+ " number >= 0, was " + properties.maxActiveSagas(), ex);
		}
	}

	/**
	 * Admission control of new orders.
	 *
	 * @param maxActiveSagas how many orders may be in progress before new ones are
	 * refused (503 + Retry-After): a number (0 for no limit), or auto to set it by
	 * Little's law
	 * @param completionTarget with auto: how long an order should take, times the
	 * admitted rate, gives the limit
	 * @param minimumLimit with auto: the limit never falls below this
	 * @param retryAfter what a refused client is told to wait
	 */
	@ConfigurationProperties("switchboard.order.admission")
	record AdmissionProperties(@DefaultValue("auto") String maxActiveSagas,
			@DefaultValue("2s") Duration completionTarget, @DefaultValue("100") int minimumLimit,
			@DefaultValue("2s") Duration retryAfter) {
	}

}
