package dev.switchboard.gateway.web;

import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * {@code ETag} and {@code If-None-Match} on the reads a client polls: the catalogue, a
 * product and an order. The tag is a hash of the answer's body, so it changes exactly
 * when the answer does (an order's with its status); a client that sends it back gets a
 * {@code 304} without the body. The body is still produced (the gateway asks the service,
 * or its product cache), so this saves the client's bandwidth, not the platform's work;
 * the product cache and {@code Cache-Control} save that.
 */
@Configuration(proxyBeanMethods = false)
class ConditionalReads {

	/** The reads that carry an ETag. */
	static final Pattern PATHS = Pattern.compile("/api/v[12]/(products(/[^/]+)?|orders/[^/]+)");

	@Bean
	FilterRegistrationBean<ShallowEtagHeaderFilter> entityTags() {
		FilterRegistrationBean<ShallowEtagHeaderFilter> registration = new FilterRegistrationBean<>(
				new ShallowEtagHeaderFilter() {

					@Override
					protected boolean shouldNotFilter(HttpServletRequest request) {
						return !PATHS.matcher(request.getRequestURI()).matches();
					}

				});
		registration.addUrlPatterns("/api/*");
		// Inside every other filter: the tag is of the body the route wrote.
		registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
		return registration;
	}

}
