package dev.switchboard.launcher.token;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.switchboard.launcher.platform.AccessTokens;

/**
 * {@code switchboard token}: asks the platform's token endpoint for an access token, as
 * any client does (client credentials, HTTP Basic), and prints it, for
 * {@code curl -H "Authorization: Bearer $(./switchboard token)" ...}.
 */
@Command(name = "token", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = { "Prints an access token (a JWT) for an OAuth2 client of the platform, from "
				+ "POST /oauth2/token at the gateway (client credentials). By default the demo client's, with "
				+ "every scope.", "Use it as: curl -H \"Authorization: Bearer $(./switchboard token)\" ..." })
public final class TokenCommand implements Callable<Integer> {

	@Mixin
	ClientOptions client;

	@Option(names = "--scope", paramLabel = "SCOPES", defaultValue = AccessTokens.ALL_SCOPES,
			description = "the scopes to ask for, space-separated (default \"${DEFAULT-VALUE}\")")
	String scope;

	@Option(names = "--gateway", paramLabel = "URL", defaultValue = "http://localhost:8080",
			description = "the platform's gateway (default ${DEFAULT-VALUE})")
	String gateway;

	@Override
	public Integer call() throws Exception {
		System.out.println(new AccessTokens(this.gateway, this.client.client(), this.scope).token());
		return 0;
	}

}
