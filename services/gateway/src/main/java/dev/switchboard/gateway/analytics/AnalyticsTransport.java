package dev.switchboard.gateway.analytics;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

/**
 * {@code switchboard.transports.analytics} is {@code rest} (the default) or {@code grpc};
 * anything else stops the gateway at start with this message, rather than with a missing
 * bean.
 */
@Configuration(proxyBeanMethods = false)
class AnalyticsTransport {

	static final List<String> TRANSPORTS = List.of("rest", "grpc");

	AnalyticsTransport(@Value("${switchboard.transports.analytics:rest}") String transport) {
		if (!TRANSPORTS.contains(transport)) {
			throw new IllegalStateException(
					"switchboard.transports.analytics must be one of " + TRANSPORTS + ", was '" + transport + "'");
		}
	}

}
