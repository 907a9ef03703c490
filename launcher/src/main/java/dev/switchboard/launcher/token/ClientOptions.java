package dev.switchboard.launcher.token;

import picocli.CommandLine.Option;

import dev.switchboard.launcher.platform.AccessTokens;

/**
 * {@code --client ID --secret SECRET}: the OAuth2 client a command acts as, the demo
 * client unless said otherwise.
 */
public final class ClientOptions {

	@Option(names = "--client", paramLabel = "ID", defaultValue = "demo-client",
			description = "the client's id (default ${DEFAULT-VALUE})")
	String client;

	@Option(names = "--secret", paramLabel = "SECRET", defaultValue = "demo-secret",
			description = "the client's secret (default: the demo client's)")
	String secret;

	public AccessTokens.Client client() {
		return new AccessTokens.Client(this.client, this.secret);
	}

}
