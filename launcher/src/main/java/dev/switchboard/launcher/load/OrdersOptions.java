package dev.switchboard.launcher.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * What {@code load} and {@code bench} order, from which gateway, and where the ids go.
 */
final class OrdersOptions {

	@Option(names = "--gateway", paramLabel = "URL", defaultValue = "http://localhost:8080",
			description = "the platform's gateway (default ${DEFAULT-VALUE})")
	String gateway;

	@Option(names = "--sku", paramLabel = "SKU",
			description = "order this SKU (repeatable; default: one of SKU-0001..SKU-0100 at random)")
	List<String> skus = new ArrayList<>();

	@Option(names = "--record", paramLabel = "FILE",
			description = "write the id of every accepted order to FILE, one per line (to check the invariants after the run)")
	Path record;

	String gatewayUrl() {
		return this.gateway.replaceAll("/$", "");
	}

	List<String> skus() {
		return this.skus.isEmpty() ? LoadGenerator.defaultSkus() : List.copyOf(this.skus);
	}

}
