package dev.switchboard.launcher.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.LoadClient;

/**
 * What {@code load} and {@code bench} order, from which gateway, as which OAuth2 client,
 * and where the ids go.
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

	@Option(names = "--client", paramLabel = "ID",
			description = "the OAuth2 client to order as (default: the platform's load client, made by up on "
					+ "--data-dir; without one, demo-client)")
	String client;

	@Option(names = "--secret", paramLabel = "SECRET", description = "the secret of --client")
	String secret;

	/** Tokens for the client the orders are placed as. */
	AccessTokens tokens(Path runDir) throws IOException {
		AccessTokens.Client who;
		if (this.client != null) {
			if (this.secret == null) {
				throw new IllegalArgumentException("--client needs its --secret");
			}
			who = new AccessTokens.Client(this.client, this.secret);
		}
		else {
			who = Files.exists(runDir.resolve("load-client-secret")) ? LoadClient.of(runDir) : AccessTokens.DEMO;
		}
		return new AccessTokens(gatewayUrl(), who, AccessTokens.ALL_SCOPES);
	}

	String gatewayUrl() {
		return this.gateway.replaceAll("/$", "");
	}

	List<String> skus() {
		return this.skus.isEmpty() ? LoadGenerator.defaultSkus() : List.copyOf(this.skus);
	}

}
