package dev.switchboard.gateway.web;

import java.net.URI;
import java.time.ZonedDateTime;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.accept.ApiVersionDeprecationHandler;
import org.springframework.web.accept.StandardApiVersionDeprecationHandler;
import org.springframework.web.servlet.config.annotation.ApiVersionConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Versions of the public API (Spring Framework's API versioning). A request's version is
 * its {@code API-Version} header, else its {@code version} query parameter, else the
 * segment after {@code /api/} ({@code /api/v2/...}); so {@code /api/v1/products} with
 * {@code API-Version: 2} is answered by v2. Routes that differ between versions map
 * {@code /api/{version}/...} once per version; the others serve both. Versions 1 and 2
 * are served; another is a 400. Every v1 answer says v1 is deprecated
 * ({@code Deprecation}, RFC 9745), when it goes ({@code Sunset}, RFC 8594), and where its
 * successor is ({@code Link: </api/v2/...>; rel="successor-version"}).
 */
@Configuration(proxyBeanMethods = false)
class ApiVersions implements WebMvcConfigurer {

	static final String HEADER = "API-Version";

	static final String PARAMETER = "version";

	private final ZonedDateTime deprecated;

	private final ZonedDateTime sunset;

	ApiVersions(@Value("${switchboard.gateway.api.v1.deprecated:2026-12-01T00:00:00Z}") ZonedDateTime deprecated,
			@Value("${switchboard.gateway.api.v1.sunset:2027-12-01T00:00:00Z}") ZonedDateTime sunset) {
		this.deprecated = deprecated;
		this.sunset = sunset;
	}

	@Override
	public void configureApiVersioning(ApiVersionConfigurer configurer) {
		StandardApiVersionDeprecationHandler standard = new StandardApiVersionDeprecationHandler();
		standard.configureVersion("1").setDeprecationDate(this.deprecated).setSunsetDate(this.sunset);
		configurer.useRequestHeader(HEADER)
			.useQueryParam(PARAMETER)
			.usePathSegment(1, (path) -> path.value().startsWith("/api/v"))
			.addSupportedVersions("1", "2")
			.detectSupportedVersions(false)
			.setVersionRequired(false)
			.setDeprecationHandler(new WithSuccessor(standard));
	}

	/** The standard headers, and a link to the same resource in v2. */
	private record WithSuccessor(ApiVersionDeprecationHandler standard) implements ApiVersionDeprecationHandler {

		@Override
		public void handleVersion(Comparable<?> version, Object handler, HttpServletRequest request,
				HttpServletResponse response) {
			this.standard.handleVersion(version, handler, request, response);
			boolean deprecated = response.getHeader("Deprecation") != null;
			String path = request.getRequestURI();
			if (deprecated && path.startsWith("/api/v1/")) {
				URI successor = URI.create("/api/v2/" + path.substring("/api/v1/".length()));
				response.addHeader(HttpHeaders.LINK, "<" + successor + ">; rel=\"successor-version\"");
			}
		}

	}

}
