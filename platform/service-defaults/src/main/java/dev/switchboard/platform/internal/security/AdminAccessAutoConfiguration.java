package dev.switchboard.platform.internal.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The admin token in front of every service's operator endpoints, ahead of every other
 * filter: a request without it takes no shedding permit and meets no injected fault.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class AdminAccessAutoConfiguration {

	@Bean
	FilterRegistrationBean<AdminAccessFilter> adminAccess(@Value("${switchboard.admin.token:}") String token) {
		FilterRegistrationBean<AdminAccessFilter> registration = new FilterRegistrationBean<>(
				new AdminAccessFilter(token));
		// After the server's observation (the refusal is traced), before shedding.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		return registration;
	}

}
