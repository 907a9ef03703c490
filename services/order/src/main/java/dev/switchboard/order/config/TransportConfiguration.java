package dev.switchboard.order.config;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

/**
 * How the order service reaches inventory: {@code switchboard.transports.inventory} is
 * {@code grpc} (the default) or {@code rest}; the adapter of that transport is the
 * {@code InventoryPort}, the business code is the same. Any other value stops the service
 * at start with this message, rather than with a missing bean.
 */
@Configuration(proxyBeanMethods = false)
class TransportConfiguration {

	static final List<String> INVENTORY_TRANSPORTS = List.of("grpc", "rest");

	TransportConfiguration(@Value("${switchboard.transports.inventory:grpc}") String inventory) {
		if (!INVENTORY_TRANSPORTS.contains(inventory)) {
			throw new IllegalStateException("switchboard.transports.inventory must be one of " + INVENTORY_TRANSPORTS
					+ ", was '" + inventory + "'");
		}
	}

}
