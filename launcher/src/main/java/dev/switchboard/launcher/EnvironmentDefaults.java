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
	static final Map<String, String> VARIABLES = Map.ofEntries(Map.entry("--data-dir", "SWITCHBOARD_DATA_DIR"),
			Map.entry("--kafka", "SWITCHBOARD_KAFKA"), Map.entry("--postgres", "SWITCHBOARD_POSTGRES"),
			Map.entry("--smtp", "SWITCHBOARD_SMTP"), Map.entry("--rabbitmq", "SWITCHBOARD_RABBITMQ"),
			Map.entry("--gateway-port", "SWITCHBOARD_GATEWAY_PORT"), Map.entry("--saga", "SWITCHBOARD_SAGA"),
			Map.entry("--max-active-orders", "SWITCHBOARD_MAX_ACTIVE_ORDERS"),
			Map.entry("--delay-proxies", "SWITCHBOARD_DELAY_PROXIES"),
			Map.entry("--aot-cache", "SWITCHBOARD_AOT_CACHE"), Map.entry("--mtls", "SWITCHBOARD_MTLS"),
			Map.entry("--lab-relay", "SWITCHBOARD_LAB_RELAY"), Map.entry("--ca", "SWITCHBOARD_CA"),
			Map.entry("--certificate-lifetime", "SWITCHBOARD_CERTIFICATE_LIFETIME"),
			Map.entry("--bind", "SWITCHBOARD_BIND"), Map.entry("--zipkin", "SWITCHBOARD_ZIPKIN"),
			Map.entry("--zipkin-port", "SWITCHBOARD_ZIPKIN_PORT"), Map.entry("--otlp", "SWITCHBOARD_OTLP"),
			Map.entry("--trace-sampling", "SWITCHBOARD_TRACE_SAMPLING"),
			Map.entry("--console-port", "SWITCHBOARD_CONSOLE_PORT"));

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
