package dev.switchboard.platform.security;

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

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * Who may do what inside the platform, by caller identity: the one policy file,
 * {@code switchboard/access-policy.yml} (in the contracts), read whole. What it does not
 * grant is refused.
 *
 * @param grpc for each full gRPC method name ({@code package.Service/Method}), the
 * services that may call it; {@code *} for any platform identity
 */
public record AccessPolicy(Map<String, Set<String>> grpc) {

	/** Where the platform's policy lives on the class path. */
	public static final String LOCATION = "switchboard/access-policy.yml";

	/** Any identity the platform's certificate authority issued. */
	public static final String ANYONE = "*";

	public AccessPolicy {
		grpc = Map.copyOf(grpc);
	}

	/** The platform's policy. */
	public static AccessPolicy platform() {
		return from(new ClassPathResource(LOCATION, AccessPolicy.class.getClassLoader()));
	}

	/**
	 * Reads a policy.
	 * @throws IllegalArgumentException when it is not shaped as the platform's is
	 */
	public static AccessPolicy from(Resource resource) {
		try (InputStream in = resource.getInputStream()) {
			Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			Map<String, Set<String>> grpc = new LinkedHashMap<>();
			mapAt(document, "the policy").forEach((section, content) -> {
				if (!section.equals("grpc")) {
					throw new IllegalArgumentException("unknown section '" + section + "' in " + resource);
				}
				mapAt(content, "grpc").forEach((service, methods) -> mapAt(methods, service)
					.forEach((method, callers) -> grpc.put(service + "/" + method, callers(callers, method))));
			});
			return new AccessPolicy(grpc);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the access policy " + resource, ex);
		}
	}

	/** Whether {@code caller} (a service name, or null for none) may call the method. */
	public boolean allowsCall(String caller, String fullMethodName) {
		if (caller == null) {
			return false;
		}
		Set<String> callers = this.grpc.get(fullMethodName);
		return callers != null && (callers.contains(caller) || callers.contains(ANYONE));
	}

	private static Map<String, Object> mapAt(Object node, String where) {
		if (!(node instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException("expected a map under " + where + ", found " + node);
		}
		Map<String, Object> entries = new LinkedHashMap<>();
		map.forEach((key, value) -> entries.put(String.valueOf(key), value));
		return entries;
	}

	private static Set<String> callers(Object node, String where) {
		if (!(node instanceof List<?> list)) {
			throw new IllegalArgumentException("expected a list of callers for " + where + ", found " + node);
		}
		return Set.copyOf(list.stream().map(String::valueOf).toList());
	}

}
