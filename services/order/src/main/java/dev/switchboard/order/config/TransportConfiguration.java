package dev.switchboard.order.config;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

/**
 * How the order service reaches inventory and payment:
 * {@code switchboard.transports.inventory} is {@code grpc} (the default) or {@code rest},
 * {@code switchboard.transports.payment} is {@code queue} (the default), {@code stream}
 * or {@code grpc}; the adapter of that transport is the port ({@code InventoryPort},
 * {@code PaymentCommands}), the business code is the same. Any other value stops the
 * service at start with this message, rather than with a missing bean.
 */
@Configuration(proxyBeanMethods = false)
class TransportConfiguration {

	static final List<String> INVENTORY_TRANSPORTS = List.of("grpc", "rest");

	static final List<String> PAYMENT_TRANSPORTS = List.of("queue", "stream", "grpc");

	TransportConfiguration(@Value("${switchboard.transports.inventory:grpc}") String inventory,
			@Value("${switchboard.transports.payment:queue}") String payment) {
		check("inventory", inventory, INVENTORY_TRANSPORTS);
		check("payment", payment, PAYMENT_TRANSPORTS);
	}

	private static void check(String callee, String transport, List<String> transports) {
		if (!transports.contains(transport)) {
			throw new IllegalStateException(
					"switchboard.transports." + callee + " must be one of " + transports + ", was '" + transport + "'");
		}
	}

}
