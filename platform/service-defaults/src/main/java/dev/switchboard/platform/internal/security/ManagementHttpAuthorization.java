package dev.switchboard.platform.internal.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.switchboard.contracts.access.AccessPolicy;
import dev.switchboard.platform.security.ServiceIdentity;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The access policy on an actuator port of its own (the gateway's): Boot serves it from a
 * child context with its own Tomcat, which takes no filter of the main one, so without
 * this any platform identity would read every actuator endpoint there. Here, as on the
 * other services' ports, health is open to every identity and the rest to whom the policy
 * names ({@code operator}).
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty("switchboard.tls.identity-file")
@ConditionalOnProperty(name = "switchboard.tls.http", havingValue = "true")
class ManagementHttpAuthorization {

	@Bean
	FilterRegistrationBean<HttpCallerAuthorization> managementCallerAuthorization(AccessPolicy policy,
			ObjectProvider<MeterRegistry> meters, ServiceIdentity identity) {
		FilterRegistrationBean<HttpCallerAuthorization> registration = new FilterRegistrationBean<>(
				new HttpCallerAuthorization(policy, meters.getIfAvailable(SimpleMeterRegistry::new), identity.name()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
		return registration;
	}

}
