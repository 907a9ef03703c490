package dev.switchboard.contracts.access;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Who may do what inside the platform, by caller identity: the one policy file,
 * {@value #LOCATION} (next to this class in the contracts), read whole. What it does not
 * grant is refused. Services enforce its {@code grpc} section themselves; the launcher
 * turns its {@code kafka} section into the embedded broker's ACLs.
 *
 * @param grpc for each full gRPC method name ({@code package.Service/Method}), the
 * services that may call it; {@code *} for any platform identity
 * @param topics for each Kafka topic, who may write and who may read it
 * @param queues for each work queue, who may send to it and who may take from it
 * @param http for each service ({@code *}: every service), for each path prefix of its
 * internal HTTP port, who may call it
 */
public record AccessPolicy(Map<String, Set<String>> grpc, Map<String, Flow> topics, Map<String, Flow> queues,
		Map<String, Map<String, Set<String>>> http) {

	/** Where the platform's policy lives on the class path. */
	public static final String LOCATION = "switchboard/access-policy.yml";

	/** Any identity the platform's certificate authority issued. */
	public static final String ANYONE = "*";

	public AccessPolicy {
		grpc = Map.copyOf(grpc);
		topics = Map.copyOf(topics);
		queues = Map.copyOf(queues);
		Map<String, Map<String, Set<String>>> paths = new LinkedHashMap<>();
		http.forEach((service, rules) -> paths.put(service, Map.copyOf(rules)));
		http = Map.copyOf(paths);
	}

	/** A policy of gRPC grants only. */
	public AccessPolicy(Map<String, Set<String>> grpc) {
		this(grpc, Map.of(), Map.of(), Map.of());
	}

	/**
	 * Who moves messages through a topic or queue.
	 *
	 * @param producers the services that may write
	 * @param consumers the services that may read
	 */
	public record Flow(Set<String> producers, Set<String> consumers) {

		public Flow {
			producers = Set.copyOf(producers);
			consumers = Set.copyOf(consumers);
		}

	}

	/** The platform's policy. */
	public static AccessPolicy platform() {
		try (InputStream in = AccessPolicy.class.getClassLoader().getResourceAsStream(LOCATION)) {
			if (in == null) {
				throw new IllegalStateException("No " + LOCATION + " on the class path");
			}
			return from(in, LOCATION);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the access policy " + LOCATION, ex);
		}
	}

	/**
	 * Reads a policy; {@code where} names it in errors.
	 * @throws IllegalArgumentException when it is not shaped as the platform's is
	 */
	public static AccessPolicy from(InputStream in, String where) {
		Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
		Map<String, Set<String>> grpc = new LinkedHashMap<>();
		Map<String, Flow> topics = new LinkedHashMap<>();
		Map<String, Flow> queues = new LinkedHashMap<>();
		Map<String, Map<String, Set<String>>> http = new LinkedHashMap<>();
		mapAt(document, where).forEach((section, content) -> {
			switch (section) {
				case "http" -> mapAt(content, "http").forEach((service, paths) -> {
					Map<String, Set<String>> rules = new LinkedHashMap<>();
					mapAt(paths, "http." + service).forEach((path, callers) -> {
						if (!path.startsWith("/")) {
							throw new IllegalArgumentException(
									"expected a path from / under http." + service + ", found '" + path + "'");
						}
						rules.put(path, names(callers, "http." + service + " " + path));
					});
					http.put(service, rules);
				});
				case "grpc" -> mapAt(content, "grpc").forEach((service, methods) -> mapAt(methods, service)
					.forEach((method, callers) -> grpc.put(service + "/" + method, names(callers, method))));
				case "kafka" -> mapAt(content, "kafka").forEach((kind, flows) -> {
					Map<String, Flow> into = switch (kind) {
						case "topics" -> topics;
						case "queues" -> queues;
						default -> throw new IllegalArgumentException(
								"unknown part 'kafka." + kind + "' in " + where + " (topics or queues)");
					};
					mapAt(flows, "kafka." + kind).forEach((name, flow) -> into.put(name, flow(flow, name)));
				});
				default -> throw new IllegalArgumentException("unknown section '" + section + "' in " + where);
			}
		});
		return new AccessPolicy(grpc, topics, queues, http);
	}

	/** Whether {@code caller} (a service name, or null for none) may call the method. */
	public boolean allowsCall(String caller, String fullMethodName) {
		if (caller == null) {
			return false;
		}
		Set<String> callers = this.grpc.get(fullMethodName);
		return callers != null && (callers.contains(caller) || callers.contains(ANYONE));
	}

	/**
	 * Whether {@code caller} (a service name, or null for none) may call {@code path} on
	 * {@code service}'s internal HTTP port. The longest rule that covers the path
	 * decides, among the service's own and those for every service ({@code *}); a rule
	 * covers its path and what lies below it ({@code /internal/} covers
	 * {@code /internal/stock}; {@code /summary} covers {@code /summary} and
	 * {@code /summary/...}).
	 */
	public boolean allowsHttp(String service, String caller, String path) {
		if (caller == null) {
			return false;
		}
		String longest = null;
		Set<String> callers = Set.of();
		for (String scope : new String[] { service, ANYONE }) {
			for (Map.Entry<String, Set<String>> rule : this.http.getOrDefault(scope, Map.of()).entrySet()) {
				if (covers(rule.getKey(), path) && (longest == null || rule.getKey().length() > longest.length())) {
					longest = rule.getKey();
					callers = rule.getValue();
				}
			}
		}
		return callers.contains(caller) || callers.contains(ANYONE);
	}

	private static boolean covers(String rule, String path) {
		return rule.endsWith("/") ? path.startsWith(rule) : path.equals(rule) || path.startsWith(rule + "/");
	}

	private static Flow flow(Object node, String where) {
		Map<String, Object> parts = mapAt(node, where);
		for (String part : parts.keySet()) {
			if (!part.equals("produce") && !part.equals("consume")) {
				throw new IllegalArgumentException("unknown key '" + part + "' under " + where + " (produce, consume)");
			}
		}
		return new Flow(names(parts.getOrDefault("produce", List.of()), where + ".produce"),
				names(parts.getOrDefault("consume", List.of()), where + ".consume"));
	}

	private static Map<String, Object> mapAt(Object node, String where) {
		if (!(node instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException("expected a map under " + where + ", found " + node);
		}
		Map<String, Object> entries = new LinkedHashMap<>();
		map.forEach((key, value) -> entries.put(String.valueOf(key), value));
		return entries;
	}

	private static Set<String> names(Object node, String where) {
		if (!(node instanceof List<?> list)) {
			throw new IllegalArgumentException("expected a list of services for " + where + ", found " + node);
		}
		return Set.copyOf(list.stream().map(String::valueOf).toList());
	}

}
