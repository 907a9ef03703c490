package dev.switchboard.launcher;

import java.util.Map;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Options that can also come from the environment, the same variable for the same option
 * in every command; the command line wins, the option's own default comes last. Given the
 * environment as a map so that tests can set it.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

	/** The environment variable behind each option. */
	static final Map<String, String> VARIABLES = Map.of("--data-dir", "SWITCHBOARD_DATA_DIR", "--kafka",
			"SWITCHBOARD_KAFKA", "--postgres", "SWITCHBOARD_POSTGRES", "--smtp", "SWITCHBOARD_SMTP", "--rabbitmq",
			"SWITCHBOARD_RABBITMQ", "--gateway-port", "SWITCHBOARD_GATEWAY_PORT", "--saga", "SWITCHBOARD_SAGA",
			"--max-active-orders", "SWITCHBOARD_MAX_ACTIVE_ORDERS", "--delay-proxies", "SWITCHBOARD_DELAY_PROXIES",
			"--aot-cache", "SWITCHBOARD_AOT_CACHE");

	private final Map<String, String> env;

	public EnvironmentDefaults(Map<String, String> env) {
		this.env = env;
	}

	@Override
	public String defaultValue(ArgSpec arg) {
		if (arg instanceof OptionSpec option && VARIABLES.containsKey(option.longestName())) {
			String value = this.env.get(VARIABLES.get(option.longestName()));
			if (value != null && !value.isBlank()) {
				return value;
			}
		}
		return null;
	}

}
