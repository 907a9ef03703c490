package dev.switchboard.gateway.orders;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

/**
 * {@code switchboard.transports.order} is {@code grpc} (the default) or {@code rest};
 * anything else stops the gateway at start with this message, rather than with a missing
 * bean.
 */
@Configuration(proxyBeanMethods = false)
class OrderTransport {

	static final List<String> TRANSPORTS = List.of("grpc", "rest");

	OrderTransport(@Value("${switchboard.transports.order:grpc}") String transport) {
		if (!TRANSPORTS.contains(transport)) {
			throw new IllegalStateException(
					"switchboard.transports.order must be one of " + TRANSPORTS + ", was '" + transport + "'");
		}
	}

}
